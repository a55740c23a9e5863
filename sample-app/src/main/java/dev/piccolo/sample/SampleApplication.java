package dev.piccolo.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The sample application: items written on the primary and read from {@code read_replica_1}, with
 * the engine's health and pool metrics on Actuator.
 */
@SpringBootApplication
public class SampleApplication {

    /**
     * Starts the application against the PostgreSQL servers in {@code application.yml}.
     *
     * @param args command-line arguments, passed to Spring Boot
     */
    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
