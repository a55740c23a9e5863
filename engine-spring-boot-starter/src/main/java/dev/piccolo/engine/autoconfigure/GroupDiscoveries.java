package dev.piccolo.engine.autoconfigure;

import java.net.URI;
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
import dev.piccolo.engine.jdbc.ConnectionUrls;
import dev.piccolo.engine.patroni.JacksonCheck;

/**
 * The discovery of every group with {@code piccolo.db.node-groups.<name>.discovery.*}: started with the
 * engine, so that the members are there before the first request, and closed before it. Each discovered
 * member's node is made from the main node's settings but its choice of servers ({@code targetServerType},
 * {@code loadBalanceHosts}), with the discovery's {@code config} over them.
 */
final class GroupDiscoveries implements AutoCloseable {

    private static final int MAX_PORT = 65535;

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
        String prefix = PropertyNames.of(group, EngineSetting.GROUP_DISCOVERY);
        if (engine.healthProbe().isEmpty()) {
            throw new EnginePropertyException(prefix, "Node group '" + group + "' discovers its members, but the "
                    + "health probe, which says when a member that joined may serve, is off.", "Set "
                    + PropertyNames.PREFIX + ".health-probe.enabled=true.");
        }
        String dnsName = discovery.getDnsName();
        if (dnsName == null) {
            if (!JacksonCheck.jacksonPresent()) {
                throw new EnginePropertyException(prefix + ".patroni-rest-urls", JacksonCheck.PROBLEM,
                        JacksonCheck.REMEDY);
            }
            for (URI url : discovery.getPatroniRestUrls()) {
                if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
                    throw new EnginePropertyException(prefix + ".patroni-rest-urls", "Node group '" + group + "' "
                            + "asks Patroni at a URL that is not an http or https URL with a host.", "Give each "
                            + "member's REST API as http://host:8008.");
                }
            }
            return new PatroniMembers(discovery.getPatroniRestUrls(), requestTimeout);
        }
        if (!discovery.getPatroniRestUrls().isEmpty()) {
            throw new EnginePropertyException(prefix, "Node group '" + group + "' discovers its members both from "
                    + "Patroni and from DNS name '" + dnsName + "'.", "Keep one: " + prefix + ".patroni-rest-urls or "
                    + prefix + ".dns-name.");
        }
        if (discovery.getPort() < 1 || discovery.getPort() > MAX_PORT) {
            throw new EnginePropertyException(prefix + ".port", "Node group '" + group + "' connects to port "
                    + discovery.getPort() + " of the addresses of '" + dnsName + "'.", "Set a port from 1 to "
                    + MAX_PORT + ", e.g. 5432.");
        }
        return new DnsMembers(dnsName, discovery.getPort());
    }

    private NodeConfig template(PiccoloDbProperties.Discovery discovery) {
        NodeConfig main = engine.node(PostgresEngine.PRIMARY).config();
        return main.withConfig(NodeInheritance.inherited(ConnectionUrls.withoutServerChoice(main.config()),
                discovery.getConfig()))
                .extensions(List.of())
                .build();
    }

    @Override
    public void close() {
        running.forEach(GroupDiscovery::close);
    }
}
