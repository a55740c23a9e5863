package dev.piccolo.ecosystem.jooq;

import dev.piccolo.engine.UseNode;
import org.jooq.DSLContext;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/** An application using Spring Boot's jOOQ support. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class JooqApplication {

    @Bean
    Ports ports(DSLContext dsl) {
        return new Ports(dsl);
    }

    /** Asks the server which port answered, through jOOQ. */
    public static class Ports {

        private final DSLContext dsl;

        Ports(DSLContext dsl) {
            this.dsl = dsl;
        }

        public Integer primary() {
            return dsl.fetchValue("SELECT inet_server_port()") instanceof Number port ? port.intValue() : null;
        }

        @UseNode("read_replica_1")
        public Integer replica() {
            return dsl.fetchValue("SELECT inet_server_port()") instanceof Number port ? port.intValue() : null;
        }
    }
}
