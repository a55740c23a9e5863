package dev.piccolo.engine.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import dev.piccolo.engine.PostgresEngine;

import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/** An application using the starter as users do, recording what it saw while starting. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class TestApplication {

    /** Whether the pool was running while runners ran, one entry per run. */
    static final List<Boolean> POOL_RUNNING_IN_RUNNER = new ArrayList<>();

    @Bean
    NodeProbe nodeProbe(JdbcTemplate jdbc) {
        return new NodeProbe(jdbc);
    }

    @Bean
    ItemService itemService(JdbcTemplate jdbc, NodeProbe probe) {
        return new ItemService(jdbc, probe);
    }

    @Bean
    CommandLineRunner recordPoolState(PostgresEngine engine) {
        return args -> POOL_RUNNING_IN_RUNNER.add(engine.isPoolRunning());
    }
}
