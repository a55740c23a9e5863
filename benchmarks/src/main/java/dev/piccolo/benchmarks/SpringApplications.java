package dev.piccolo.benchmarks;

import java.util.ArrayList;
import java.util.List;

import dev.piccolo.benchmarks.jpa.JpaApplication;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Spring Boot applications for the benchmarks: one with this starter, one with dynamic-datasource,
 * each with the other library switched off, so each routes through its own.
 */
final class SpringApplications {

    /** Data JPA, on this class path for the start-up measurements' JPA app only. */
    static final String JPA_AUTO_CONFIGURATIONS = "org.springframework.boot.hibernate.autoconfigure."
            + "HibernateJpaAutoConfiguration,org.springframework.boot.data.jpa.autoconfigure."
            + "DataJpaRepositoriesAutoConfiguration";

    static final String DYNAMIC_DATASOURCE_AUTO_CONFIGURATIONS = "com.baomidou.dynamic.datasource.spring.boot."
            + "autoconfigure.DynamicDataSourceAutoConfiguration,com.baomidou.dynamic.datasource.spring.boot."
            + "autoconfigure.DynamicDataSourcePoolMetricsAutoConfiguration";

    private SpringApplications() {
    }

    /**
     * Arguments that keep an application of the benchmarks' own apart from the sample app, which shares this
     * class path: not its {@code application.yml}, not its Flyway migration.
     */
    static List<String> apartFromTheSample() {
        return List.of("--spring.config.name=piccolo-benchmarks", "--spring.flyway.enabled=false");
    }

    static ConfigurableApplicationContext piccolo() {
        List<String> arguments = new ArrayList<>(BenchmarkCluster.piccoloProperties());
        arguments.add("--spring.autoconfigure.exclude=" + DYNAMIC_DATASOURCE_AUTO_CONFIGURATIONS + ","
                + JPA_AUTO_CONFIGURATIONS);
        return run(PiccoloApplication.class, arguments);
    }

    /** The JPA app of the start-up measurements, on the engine, without its web server. */
    static ConfigurableApplicationContext jpa() {
        List<String> arguments = new ArrayList<>(BenchmarkCluster.piccoloProperties());
        arguments.add("--spring.autoconfigure.exclude=" + DYNAMIC_DATASOURCE_AUTO_CONFIGURATIONS);
        return run(JpaApplication.class, arguments);
    }

    static ConfigurableApplicationContext dynamicDatasource() {
        List<String> arguments = new ArrayList<>(BenchmarkCluster.dynamicDatasourceProperties());
        arguments.add("--piccolo.db.enabled=false");
        arguments.add("--spring.autoconfigure.exclude=" + JPA_AUTO_CONFIGURATIONS);
        return run(DynamicDatasourceApplication.class, arguments);
    }

    private static ConfigurableApplicationContext run(Class<?> type, List<String> arguments) {
        arguments.addAll(apartFromTheSample());
        arguments.add("--logging.level.root=WARN");
        arguments.add("--spring.main.banner-mode=off");
        SpringApplication application = new SpringApplication(type);
        application.setWebApplicationType(WebApplicationType.NONE);
        return application.run(arguments.toArray(String[]::new));
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class PiccoloApplication {

        @Bean
        ReplicaReaders.Piccolo reader(JdbcTemplate jdbc) {
            return new ReplicaReaders.Piccolo(jdbc);
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class DynamicDatasourceApplication {

        @Bean
        ReplicaReaders.DynamicDatasource reader(JdbcTemplate jdbc) {
            return new ReplicaReaders.DynamicDatasource(jdbc);
        }
    }
}
