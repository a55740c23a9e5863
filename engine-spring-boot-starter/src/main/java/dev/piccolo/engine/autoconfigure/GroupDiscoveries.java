package dev.piccolo.engine.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.piccolo.engine.EngineSetting;
import dev.piccolo.engine.NodeConfig;
import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.discovery.DnsMembers;
import dev.piccolo.engine.discovery.GroupDiscovery;
import dev.piccolo.engine.discovery.MemberSource;
import dev.piccolo.engine.discovery.PatroniMembers;

/**
 * The discovery of every group with {@code piccolo.db.node-groups.<name>.discovery.*}: started with the
 * engine, so that the members are there before the first request, and closed before it. Each discovered
 * member's node is made from the main node's settings, with the discovery's {@code config} over them.
 */
final class GroupDiscoveries implements AutoCloseable {

    private final PostgresEngine engine;

    private final Map<String, PiccoloDbProperties.Group> groups;

    private final Duration requestTimeout;

    private final List<GroupDiscovery> running = new ArrayList<>();

    GroupDiscoveries(PostgresEngine engine, Map<String, PiccoloDbProperties.Group> groups, Duration requestTimeout) {
        this.engine = engine;
        this.groups = groups;
        this.requestTimeout = requestTimeout;
    }

    /**
     * Checks every group's discovery, then starts each: the first refresh runs now.
     *
     * @throws EnginePropertyException when a group gives both a Patroni cluster and a DNS name
     */
    void start() {
        groups.forEach((name, group) -> {
            PiccoloDbProperties.Discovery discovery = group.getDiscovery();
            if (discovery.isConfigured()) {
                running.add(GroupDiscovery.builder(engine, name, source(name, discovery))
                        .template(template(discovery))
                        .interval(discovery.getInterval())
                        .start());
            }
        });
    }

    private MemberSource source(String group, PiccoloDbProperties.Discovery discovery) {
        String dnsName = discovery.getDnsName();
        if (dnsName == null) {
            return new PatroniMembers(discovery.getPatroniRestUrls(), requestTimeout);
        }
        if (!discovery.getPatroniRestUrls().isEmpty()) {
            String prefix = PropertyNames.of(group, EngineSetting.GROUP_DISCOVERY);
            throw new EnginePropertyException(prefix, "Node group '" + group + "' discovers its members both from "
                    + "Patroni and from DNS name '" + dnsName + "'.", "Keep one: " + prefix + ".patroni-rest-urls or "
                    + prefix + ".dns-name.");
        }
        return new DnsMembers(dnsName, discovery.getPort());
    }

    private NodeConfig template(PiccoloDbProperties.Discovery discovery) {
        NodeConfig main = engine.node(PostgresEngine.PRIMARY).config();
        return main.withConfig(NodeInheritance.inherited(main.config(), discovery.getConfig()))
                .extensions(List.of())
                .build();
    }

    @Override
    public void close() {
        running.forEach(GroupDiscovery::close);
    }
}
