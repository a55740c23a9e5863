package dev.piccolo.ecosystem.pgjdbc;

import dev.piccolo.ecosystem.Applications;
import dev.piccolo.ecosystem.NodePorts;
import dev.piccolo.engine.test.PostgresCluster;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/** An application whose tests use its DataSource's connections as PgJDBC connections. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class PgJdbcApplication {

    /**
     * Runs this application on the cluster, its tables {@code copied_row} and {@code kept_row} created empty.
     *
     * @param cluster the cluster
     * @param properties more {@code name=value} properties
     * @return the running context
     */
    static ConfigurableApplicationContext start(PostgresCluster cluster, String... properties) {
        return Applications.runWithSchema(PgJdbcApplication.class, cluster, "classpath:pgjdbc/schema.sql", properties);
    }

    @Bean
    NodePorts nodePorts(JdbcTemplate jdbc) {
        return new NodePorts(jdbc);
    }
}
