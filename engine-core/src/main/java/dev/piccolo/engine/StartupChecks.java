package dev.piccolo.engine;

import java.sql.SQLException;
import java.util.List;

import org.slf4j.Logger;

/**
 * What {@link PostgresEngine#start()} checks on each node before it serves: the server's version (logged,
 * warned when unsupported) and the node's extensions.
 */
final class StartupChecks {

    private final ExtensionInstaller installer;

    private final SettingNames settingNames;

    /** The engine's own logger, which users filter start-up warnings by. */
    private final Logger logger;

    StartupChecks(ExtensionInstaller installer, SettingNames settingNames, Logger logger) {
        this.installer = installer;
        this.settingNames = settingNames;
        this.logger = logger;
    }

    /**
     * Reads and logs the node's version and creates its extensions. A node that does not answer fails the
     * start when it must be reachable (the main node, a {@code fail-fast} one) and is logged otherwise.
     *
     * @param node the node
     * @param atStartUp whether the engine is starting, or the node is being added to a running engine
     * @throws NodeUnavailableException when a node that must be reachable does not answer
     * @throws ExtensionException when an extension cannot be created and the policy is to fail
     */
    void check(EngineNode node, boolean atStartUp) {
        try {
            ServerVersionCheck.check(node);
            installer.install(node, extensionsOf(node));
        }
        catch (SQLException ex) {
            ConnectionFailure failure = ConnectionFailure.of(node.name(), node.url(), ex, settingNames);
            String problem = (atStartUp ? "At start-up: " : "When added: ") + failure.problem();
            if (node.name().equals(NodeNames.PRIMARY)) {
                throw new NodeUnavailableException(NodeNames.PRIMARY, problem, failure.remedy()
                        + " The main node must be reachable at start-up.", ex);
            }
            if (node.config().failFast()) {
                throw new NodeUnavailableException(node.name(), problem, failure.remedy() + " Or set "
                        + settingNames.of(node.name(), EngineSetting.FAIL_FAST) + "=false to start without it.", ex);
            }
            if (atStartUp) {
                logger.warn("{} {} Starting without it; its work fails until the server answers (set {}=true to refuse "
                        + "to start instead).", problem, failure.remedy(), settingNames.of(node.name(),
                                EngineSetting.FAIL_FAST));
            }
            else {
                logger.warn("{} {} Added all the same; its work fails until the server answers.", problem,
                        failure.remedy());
            }
        }
    }

    private static List<String> extensionsOf(EngineNode node) {
        List<String> configured = node.config().extensions();
        if (configured != null) {
            return configured;
        }
        return NodeNames.PRIMARY.equals(node.name()) ? NodeConfig.MAIN_NODE_EXTENSIONS : List.of();
    }
}
