package dev.piccolo.engine.autoconfigure;

import java.util.Locale;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Warns about environment variables meant for an extra node that no configured node picked up. Relaxed
 * binding reads every underscore of a variable name as a separator, so a variable cannot spell a name
 * such as {@code read_replica_1}; without this warning the variable would be ignored silently.
 */
final class EnvironmentVariableCheck {

    private static final Logger logger = LoggerFactory.getLogger(EnvironmentVariableCheck.class);

    private static final String EXTRA_NODES_PREFIX = "PICCOLO_DB_EXTRANODES_";

    private EnvironmentVariableCheck() {
    }

    /**
     * Whether relaxed binding takes the variable for the node: it reads every '_' as a separator, so only
     * a name without '_' can be spelled, dashes dropped ({@code read-replica} as {@code READREPLICA}).
     */
    private static boolean binds(String variable, String node) {
        return !node.contains("_") && variable
                .startsWith(EXTRA_NODES_PREFIX + node.toUpperCase(Locale.ROOT).replace("-", "") + "_");
    }

    static void warnAboutUnboundExtraNodeVariables(Environment environment, Set<String> extraNodes) {
        if (!(environment instanceof ConfigurableEnvironment configurable)) {
            return;
        }
        PropertySource<?> variables = configurable.getPropertySources()
                .get(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        if (!(variables instanceof EnumerablePropertySource<?> enumerable)) {
            return;
        }
        for (String name : enumerable.getPropertyNames()) {
            if (name.startsWith(EXTRA_NODES_PREFIX) && extraNodes.stream().noneMatch(node -> binds(name, node))) {
                logger.warn("Environment variable {} sets no configured extra node, so it is ignored: an environment "
                        + "variable cannot spell a node name that contains '_' (such as read_replica_1), even when "
                        + "application.yml declares that node. Set such nodes through SPRING_APPLICATION_JSON, or "
                        + "give them ${...} placeholders in application.yml.", name);
            }
        }
    }
}
