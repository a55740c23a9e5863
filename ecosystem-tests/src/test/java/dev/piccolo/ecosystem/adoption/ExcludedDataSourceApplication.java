package dev.piccolo.ecosystem.adoption;

import dev.piccolo.ecosystem.NodePorts;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An application that excludes Boot's DataSource auto-configuration and relies on the engine, configured by
 * {@code piccolo.db.config}, for its DataSource.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(exclude = DataSourceAutoConfiguration.class)
public class ExcludedDataSourceApplication {

    @Bean
    NodePorts nodePorts(JdbcTemplate jdbc) {
        return new NodePorts(jdbc);
    }
}
