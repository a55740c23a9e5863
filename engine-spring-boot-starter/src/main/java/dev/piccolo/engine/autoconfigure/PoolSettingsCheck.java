package dev.piccolo.engine.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.zaxxer.hikari.HikariConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.BoundPropertiesTrackingBindHandler;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;

/**
 * Warns about pool properties that would otherwise be ignored without a word: a key under a
 * {@code pool} prefix that is neither the engine's nor a HikariCP setting (a typo), and
 * {@code spring.datasource.hikari.*} where the engine does not read it. Binding onto HikariCP's own
 * {@link HikariConfig} is what decides whether a key is known, so the check follows HikariCP's version.
 */
final class PoolSettingsCheck {

    private static final Logger logger = LoggerFactory.getLogger(PoolSettingsCheck.class);

    /** The engine's own pool keys, without separators as relaxed binding compares them. */
    private static final Set<String> ENGINE_KEYS = Set.of("maxsize", "minsize", "draintimeout", "autostart");

    private final Binder binder;

    PoolSettingsCheck(Binder binder) {
        this.binder = binder;
    }

    /**
     * Warns about each key under the prefix that no setting takes.
     *
     * @param prefix a pool prefix, e.g. {@code piccolo.db.pool}
     * @param shownPrefix the prefix as users write it, e.g. {@code piccolo.db.extra-nodes.read_replica_1.pool}
     */
    void warnAboutUnknownKeys(ConfigurationPropertyName prefix, String shownPrefix) {
        try {
            binder.bind(prefix, Bindable.ofInstance(new HikariConfig()), new NoUnboundElementsBindHandler(BindHandler.DEFAULT));
        }
        catch (BindException ex) {
            if (!(ex.getCause() instanceof UnboundConfigurationPropertiesException unbound)) {
                throw ex;
            }
            for (ConfigurationProperty property : unbound.getUnboundProperties()) {
                ConfigurationPropertyName name = property.getName();
                if (!ENGINE_KEYS.contains(name.getLastElement(ConfigurationPropertyName.Form.UNIFORM))) {
                    StringBuilder shown = new StringBuilder(shownPrefix);
                    for (int i = prefix.getNumberOfElements(); i < name.getNumberOfElements(); i++) {
                        shown.append('.').append(name.getElement(i, ConfigurationPropertyName.Form.ORIGINAL));
                    }
                    logger.warn("{} is not a pool setting (neither max-size, min-size, drain-timeout, auto-start nor a "
                            + "HikariCP property such as connection-timeout) and is ignored. Check its spelling.",
                            shown);
                }
            }
        }
    }

    /**
     * Warns that {@code spring.datasource.hikari.*} is set although the engine's pools do not read it
     * (they read it only when the main node's connection comes from {@code spring.datasource.*}).
     */
    void warnAboutIgnoredSpringHikari() {
        List<String> set = new ArrayList<>();
        binder.bind(NodePoolOptions.SPRING_HIKARI_PREFIX, Bindable.ofInstance(new HikariConfig()),
                new BoundPropertiesTrackingBindHandler(property -> set.add(property.getName().toString())));
        if (!set.isEmpty()) {
            logger.warn("{} {} ignored: piccolo.db.config gives the main node's connection, so the engine's pools "
                    + "take their settings from piccolo.db.pool.* only. Move them there.", set,
                    set.size() == 1 ? "is" : "are");
        }
    }
}
