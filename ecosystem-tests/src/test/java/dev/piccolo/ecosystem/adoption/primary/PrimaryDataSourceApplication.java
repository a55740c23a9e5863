package dev.piccolo.ecosystem.adoption.primary;

import javax.sql.DataSource;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * An application that builds its own {@code @Primary} DataSource from {@code spring.datasource.*} and excludes
 * no auto-configuration, to which the starter is added and nothing else changed. (In a package of its own, as
 * the slice tests of {@code adoption} find their one {@code @SpringBootConfiguration} there.)
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class PrimaryDataSourceApplication {

    @Bean
    @Primary
    DataSource applicationDataSource(DataSourceProperties properties) {
        return properties.initializeDataSourceBuilder().build();
    }
}
