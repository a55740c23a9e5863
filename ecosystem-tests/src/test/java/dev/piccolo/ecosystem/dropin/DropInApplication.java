package dev.piccolo.ecosystem.dropin;

import dev.piccolo.ecosystem.NodePorts;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/** An existing application configured with spring.datasource.*, to which the starter is added. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class DropInApplication {

    @Bean
    NodePorts nodePorts(JdbcTemplate jdbc) {
        return new NodePorts(jdbc);
    }
}
