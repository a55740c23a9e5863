package dev.piccolo.ecosystem.observation;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.piccolo.ecosystem.NodePorts;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/** An application with datasource-micrometer's JDBC observations, recording every observation it stops. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class ObservationApplication {

    /** Observations stopped so far. */
    static final List<Observation.Context> STOPPED = new CopyOnWriteArrayList<>();

    @Bean
    ObservationHandler<Observation.Context> recordingHandler() {
        return new ObservationHandler<>() {

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }

            @Override
            public void onStop(Observation.Context context) {
                STOPPED.add(context);
            }
        };
    }

    @Bean
    NodePorts nodePorts(JdbcTemplate jdbc) {
        return new NodePorts(jdbc);
    }
}
