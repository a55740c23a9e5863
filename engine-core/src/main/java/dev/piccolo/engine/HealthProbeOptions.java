package dev.piccolo.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the background health probe: every {@code interval} each node runs a cheap query
 * bounded by {@code timeout}; the result marks it up or down and measures a replica's lag.
 *
 * @param interval time between two probes of a node
 * @param timeout how long one probe may take, connecting included
 *
 * @since 0.1
 */
public record HealthProbeOptions(Duration interval, Duration timeout) {

    /**
     * Checks the settings.
     *
     * @throws IllegalArgumentException when a duration is not positive
     */
    public HealthProbeOptions {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("interval must be positive, was " + interval);
        }
        if (timeout.toSeconds() < 1) {
            throw new IllegalArgumentException("timeout cannot be less than 1s (PgJDBC counts whole seconds), was "
                    + timeout);
        }
    }
}
