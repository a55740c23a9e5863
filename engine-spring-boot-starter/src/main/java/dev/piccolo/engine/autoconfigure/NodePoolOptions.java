package dev.piccolo.engine.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import com.zaxxer.hikari.HikariConfig;
import dev.piccolo.engine.EngineSetting;
import dev.piccolo.engine.NodeConfigurationException;
import dev.piccolo.engine.PoolOptions;
import dev.piccolo.engine.PostgresEngine;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;

/**
 * Each node's pool options: sizes and drain timeout from {@code pool.*}, checked, and the remaining
 * {@code pool.*} keys (and, in drop-in mode, {@code spring.datasource.hikari.*}) bound onto
 * {@link HikariConfig}.
 */
final class NodePoolOptions {

    static final ConfigurationPropertyName SPRING_HIKARI_PREFIX = ConfigurationPropertyName
            .of("spring.datasource.hikari");

    static final ConfigurationPropertyName MAIN_POOL_PREFIX = ConfigurationPropertyName
            .of(PropertyNames.PREFIX + ".pool");

    private final Binder binder;

    NodePoolOptions(Binder binder) {
        this.binder = binder;
    }

    /**
     * The main node's pool options: {@code piccolo.db.pool.*}, else, in drop-in mode, Spring Boot's
     * {@code spring.datasource.hikari.maximum-pool-size} and {@code minimum-idle}.
     */
    PoolOptions main(PiccoloDbProperties.Pool pool, boolean dropIn, List<ConfigurationPropertyName> hikariPrefixes) {
        int maxSize = pool.getMaxSize() != null ? pool.getMaxSize() : PoolOptions.DEFAULT_MAX_SIZE;
        Integer minSize = pool.getMinSize();
        if (dropIn && !isSet(MAIN_POOL_PREFIX.append("max-size"))) {
            maxSize = binder.bind(SPRING_HIKARI_PREFIX.append("maximum-pool-size"), Bindable.of(Integer.class))
                    .orElse(maxSize);
        }
        if (dropIn && minSize == null) {
            minSize = binder.bind(SPRING_HIKARI_PREFIX.append("minimum-idle"), Bindable.of(Integer.class))
                    .orElse(null);
        }
        return of(PostgresEngine.PRIMARY, maxSize, minSize,
                pool.getDrainTimeout() != null ? pool.getDrainTimeout() : PoolOptions.DEFAULT_DRAIN_TIMEOUT,
                hikariPrefixes);
    }

    /** A node's pool options, each size and the timeout checked, the HikariCP keys of {@code hikariPrefixes} bound. */
    PoolOptions of(String node, int maxSize, @Nullable Integer minSize, Duration drainTimeout,
            List<ConfigurationPropertyName> hikariPrefixes) {
        PoolOptions.Builder options = PoolOptions.builder();
        validated(node, EngineSetting.POOL_MAX_SIZE, () -> options.maxSize(maxSize));
        if (minSize != null) {
            validated(node, EngineSetting.POOL_MIN_SIZE, () -> options.minSize(minSize));
        }
        validated(node, EngineSetting.POOL_DRAIN_TIMEOUT, () -> options.drainTimeout(drainTimeout));
        options.hikari(config -> hikariPrefixes.forEach(prefix -> binder.bind(prefix, Bindable.ofInstance(config))));
        return validated(node, EngineSetting.POOL_MIN_SIZE, options::build);
    }

    private boolean isSet(ConfigurationPropertyName name) {
        return binder.bind(name, Bindable.of(String.class)).isBound();
    }

    /** Runs a step of the engine's API that checks a value, naming the property when it refuses it. */
    static <T> T validated(String node, EngineSetting setting, Supplier<T> step) {
        try {
            return step.get();
        }
        catch (IllegalArgumentException ex) {
            throw new NodeConfigurationException(node, setting, "Node '" + node + "' has an impossible "
                    + PropertyNames.of(node, setting) + ": " + ex.getMessage() + ".", "Set a value within range. "
                    + setting.description());
        }
    }
}
