package dev.piccolo.ecosystem.migration;

import java.util.ArrayList;
import java.util.List;

import dev.piccolo.engine.PostgresEngine;

import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/** Runs Flyway or Liquibase at start-up and records whether the pools were open when they ran. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class MigrationApplication {

    /** Whether the pool was running when start-up work ran (migrations run before runners). */
    static final List<Boolean> POOL_RUNNING_AT_START_UP = new ArrayList<>();

    @Bean
    CommandLineRunner recordPoolState(PostgresEngine engine) {
        return args -> POOL_RUNNING_AT_START_UP.add(engine.isPoolRunning());
    }
}
