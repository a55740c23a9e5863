package dev.piccolo.benchmarks;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Spring Boot applications for the benchmarks: one with this starter, one with dynamic-datasource,
 * each with the other library's auto-configuration excluded, so each routes through its own.
 */
final class SpringApplications {

    private static final String PICCOLO_AUTO_CONFIGURATIONS = "dev.piccolo.engine.autoconfigure."
            + "PiccoloEngineAutoConfiguration,dev.piccolo.engine.autoconfigure.health."
            + "PiccoloHealthContributorAutoConfiguration,dev.piccolo.engine.autoconfigure.metrics."
            + "PiccoloMetricsAutoConfiguration";

    private static final String DYNAMIC_DATASOURCE_AUTO_CONFIGURATIONS = "com.baomidou.dynamic.datasource.spring.boot."
            + "autoconfigure.DynamicDataSourceAutoConfiguration,com.baomidou.dynamic.datasource.spring.boot."
            + "autoconfigure.DynamicDataSourcePoolMetricsAutoConfiguration";

    private SpringApplications() {
    }

    static ConfigurableApplicationContext piccolo() {
        List<String> arguments = new ArrayList<>(BenchmarkCluster.piccoloProperties());
        arguments.add("--spring.autoconfigure.exclude=" + DYNAMIC_DATASOURCE_AUTO_CONFIGURATIONS);
        return run(PiccoloApplication.class, arguments);
    }

    static ConfigurableApplicationContext dynamicDatasource() {
        List<String> arguments = new ArrayList<>(BenchmarkCluster.dynamicDatasourceProperties());
        arguments.add("--spring.autoconfigure.exclude=" + PICCOLO_AUTO_CONFIGURATIONS);
        return run(DynamicDatasourceApplication.class, arguments);
    }

    private static ConfigurableApplicationContext run(Class<?> type, List<String> arguments) {
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
