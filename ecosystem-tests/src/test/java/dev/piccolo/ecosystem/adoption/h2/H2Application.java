package dev.piccolo.ecosystem.adoption.h2;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * An application whose default profile runs on H2 (as spring-petclinic's does), with {@code @UseNode} on
 * a repository for its PostgreSQL profile, to which the starter is added and nothing else changed.
 */
@SpringBootApplication
public class H2Application {
}
