package dev.piccolo.benchmarks.jpa;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring MVC and Spring Data JPA application as users write them, for the start-up measurements: one
 * entity, one repository with a read on the replica, one controller, Boot's defaults (open-in-view on).
 * The same classes run on the engine and, with {@code piccolo.db.enabled=false}, on Boot's own DataSource.
 */
@SpringBootApplication
public class JpaApplication {
}
