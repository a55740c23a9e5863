package dev.piccolo.engine.discovery;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.piccolo.engine.EngineNode;
import dev.piccolo.engine.EngineSetting;
import dev.piccolo.engine.HealthProbeOptions;
import dev.piccolo.engine.NodeConfig;
import dev.piccolo.engine.NodeConfigurationException;
import dev.piccolo.engine.NodeGroup;
import dev.piccolo.engine.NodeStatus;
import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.UnknownNodeException;
import dev.piccolo.engine.jdbc.ConnectionUrls;
import dev.piccolo.engine.jdbc.ServerAddresses;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a group's members in step with a {@link MemberSource}: asks it now and then on an interval, adds a
 * node for each member that appeared ({@code <group>.<member>}, made from the group's template with the
 * member's host and port) and removes the node of each that left, whose pool then drains. A new node takes
 * the group's reads once the health probe finds it usable (streaming, within the group's lag limits), at a
 * share ramped up over the engine's ramp-up. Members listed in the group's configuration stay. When the source
 * cannot be asked, the group keeps the members it has.
 *
 * <pre>{@code
 * GroupDiscovery discovery = GroupDiscovery.builder(engine, "replicas",
 *         new PatroniMembers(List.of(URI.create("http://10.0.0.5:8008")), Duration.ofSeconds(2)))
 *     .interval(Duration.ofSeconds(10))
 *     .start();
 * }</pre>
 *
 * @since 0.3
 */
public final class GroupDiscovery implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(GroupDiscovery.class);

    private static final Set<String> URL_KEYS = Set.of(ConnectionUrls.URL, ConnectionUrls.DSN);

    private static final Duration FIRST_PROBE_POLL = Duration.ofMillis(10);

    /** How long closing waits for a refresh under way, which may be adding a node. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final PostgresEngine engine;

    private final String group;

    private final MemberSource source;

    private final NodeConfig template;

    private final Duration interval;

    /** The health probe's timeout: a joined member waits for the probe's next round, which it bounds. */
    private final Duration probeTimeout;

    /** The nodes this discovery added, by node name, with the member each was made for. */
    private final Map<String, DiscoveredMember> added = new LinkedHashMap<>();

    private final ScheduledExecutorService scheduler;

    private boolean sourceFailing;

    private GroupDiscovery(Builder builder) {
        this.engine = builder.engine;
        this.group = builder.group;
        this.source = builder.source;
        this.template = builder.template != null ? builder.template
                : mainNodeTemplate(engine);
        this.interval = builder.interval;
        this.probeTimeout = builder.probeTimeout;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "piccolo-discovery-" + group);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The main node's settings, without what says which of its servers it wants. */
    private static NodeConfig mainNodeTemplate(PostgresEngine engine) {
        NodeConfig main = engine.node(PostgresEngine.PRIMARY).config();
        return main.withConfig(ConnectionUrls.withoutServerChoice(main.config())).extensions(List.of()).build();
    }


    /**
     * Starts a discovery for a group of the engine.
     *
     * @param engine the engine
     * @param group the name of one of its groups
     * @param source where the members come from
     * @return a new builder
     */
    public static Builder builder(PostgresEngine engine, String group, MemberSource source) {
        return new Builder(engine, group, source);
    }

    /**
     * Asks the source now and changes the group to match, then does so again every interval in the background.
     *
     * @return this discovery, to close when done
     */
    public GroupDiscovery start() {
        refresh();
        awaitFirstProbe();
        scheduler.scheduleWithFixedDelay(this::refreshInBackground, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * Waits, at most two probe timeouts, until the probe has looked at the members that joined: the group then
     * serves from the moment discovery has started, not only from the probe's next round.
     */
    private void awaitFirstProbe() {
        long deadline = System.nanoTime() + probeTimeout.multipliedBy(2).toNanos();
        while (joinersAwaitProbe() && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(FIRST_PROBE_POLL.toMillis());
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void refreshInBackground() {
        try {
            refresh();
        }
        catch (RuntimeException ex) {
            // Thrown out of a scheduled task, it would cancel every later refresh.
            logger.warn("Discovery of group '{}' failed; it runs again in {}", group, interval, ex);
        }
    }

    /**
     * Asks the source once and changes the group to match: nodes added for members that appeared and serve,
     * nodes of members no longer listed (or listed elsewhere) removed.
     */
    public synchronized void refresh() {
        List<DiscoveredMember> found;
        try {
            found = source.members();
        }
        catch (IOException ex) {
            if (!sourceFailing) {
                sourceFailing = true;
                logger.warn("Discovery of group '{}': {} cannot be asked ({}); the group keeps its members {} until "
                        + "it answers", group, source, ex.getMessage(), members());
            }
            return;
        }
        if (sourceFailing) {
            sourceFailing = false;
            logger.info("Discovery of group '{}': {} answers again", group, source);
        }
        // A node of ours that an operator removed is ours no more: it joins again, as any member that appears.
        added.keySet().retainAll(engine.nodeNames());
        Map<String, DiscoveredMember> wanted = new LinkedHashMap<>();
        for (DiscoveredMember member : found) {
            wanted.put(nodeName(member), member);
        }
        List<Map.Entry<String, DiscoveredMember>> leaving = added.entrySet().stream()
                .filter(node -> !samePlace(node.getValue(), wanted.get(node.getKey())))
                .map(node -> Map.entry(node.getKey(), node.getValue()))
                .toList();
        // Make before break: a member that moved is removed before it is added again, but one that left stays
        // until those that joined have been probed, so the group is never left with only unproven members.
        leaving.forEach(node -> {
            if (wanted.containsKey(node.getKey())) {
                remove(node.getKey(), node.getValue());
            }
        });
        wanted.forEach((name, member) -> {
            if (!added.containsKey(name) && member.serving()) {
                add(name, member);
            }
        });
        if (!joinersAwaitProbe()) {
            leaving.stream().filter(node -> !wanted.containsKey(node.getKey()))
                    .forEach(node -> remove(node.getKey(), node.getValue()));
        }
        engine.setGroupMembers(group, members());
    }

    /** Whether a member is still where its node connects: listed, on the same host and port. */
    private static boolean samePlace(DiscoveredMember node, @Nullable DiscoveredMember listed) {
        return listed != null && node.host().equals(listed.host()) && node.port() == listed.port();
    }

    /** Whether a node this discovery added has not been looked at by the health probe yet. */
    private boolean joinersAwaitProbe() {
        for (EngineNode node : engine.nodes()) {
            NodeStatus status = node.status();
            if (added.containsKey(node.name()) && !status.up() && status.checkedAt() == null) {
                return true;
            }
        }
        return false;
    }

    private void remove(String name, DiscoveredMember member) {
        added.remove(name);
        logger.info("Discovery of group '{}': {} ({}:{}) left; its node is removed", group, member.name(),
                member.host(), member.port());
        try {
            engine.removeNode(name);
        }
        catch (UnknownNodeException ex) {
            // Removed by an operator meanwhile: gone already.
        }
    }

    private void add(String name, DiscoveredMember member) {
        if (!ServerAddresses.isPlainAddress(member.host(), member.port())) {
            logger.warn("Discovery of group '{}': {} is given at an address that is not a plain host and port; it is "
                    + "left out", group, member.name());
            return;
        }
        logger.info("Discovery of group '{}': {} ({}:{}) joined", group, member.name(), member.host(), member.port());
        try {
            engine.addNode(name, configFor(member));
            added.put(name, member);
        }
        catch (RuntimeException ex) {
            logger.warn("Discovery of group '{}': no node for {} ({}); it is tried again at the next refresh", group,
                    member.name(), ex.getMessage());
        }
    }

    /**
     * The group's members now: those it has that this discovery did not add (listed in its configuration,
     * or set by hand), then the discovered ones. A node this discovery removed has left the group already.
     */
    private List<String> members() {
        NodeGroup current = engine.groups().get(group);
        List<String> members = new ArrayList<>();
        if (current != null) {
            current.members().stream().filter(member -> !added.containsKey(member)).forEach(members::add);
        }
        members.addAll(added.keySet());
        return members;
    }

    private String nodeName(DiscoveredMember member) {
        return group + "." + member.name();
    }

    /**
     * The template with the member's place: read-only, on a standby, which PgJDBC checks at each connection.
     * A URL in the template is read into keys, of which the member's host and port replace the URL's.
     */
    private NodeConfig configFor(DiscoveredMember member) {
        Map<String, String> config = new LinkedHashMap<>();
        template.config().forEach((key, value) -> {
            if (URL_KEYS.contains(key)) {
                config.putAll(ConnectionUrls.toConfig(value));
            }
        });
        template.config().forEach((key, value) -> {
            if (!URL_KEYS.contains(key)) {
                config.put(key, value);
            }
        });
        config.put(ConnectionUrls.HOST, member.host());
        config.put(ConnectionUrls.PORT, Integer.toString(member.port()));
        config.putIfAbsent(PGProperty.TARGET_SERVER_TYPE.getName(), "secondary");
        return template.withConfig(config).readOnly(true).failFast(false).build();
    }

    /** Stops discovering, waiting a moment for a refresh under way; the nodes discovered so far stay. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                logger.warn("Discovery of group '{}' did not stop within {} ms", group, CLOSE_WAIT.toMillis());
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "GroupDiscovery[group=" + group + ", source=" + source + ", interval=" + interval + "]";
    }

    /** Builds a {@link GroupDiscovery}. Not thread-safe. */
    public static final class Builder {

        private final PostgresEngine engine;

        private final String group;

        private final MemberSource source;

        private @Nullable NodeConfig template;

        private Duration interval = Duration.ofSeconds(10);

        private Duration probeTimeout = Duration.ZERO;

        private Builder(PostgresEngine engine, String group, MemberSource source) {
            this.engine = Objects.requireNonNull(engine, "engine");
            this.group = Objects.requireNonNull(group, "group");
            this.source = Objects.requireNonNull(source, "source");
        }

        /**
         * Sets what every discovered node is made from: its user, password, database, TLS and pool; the host
         * and port are the member's. By default the main node's settings, without its extensions.
         *
         * @param template the settings; the members' hosts and ports replace the template's, also in a
         * {@code url} or {@code dsn}
         * @return this builder
         */
        public Builder template(NodeConfig template) {
            this.template = Objects.requireNonNull(template, "template");
            return this;
        }

        /**
         * Sets how often the source is asked again.
         *
         * @param interval more than zero, 10 seconds by default
         * @return this builder
         */
        public Builder interval(Duration interval) {
            this.interval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * Checks the settings and starts the discovery ({@link GroupDiscovery#start()}).
         *
         * @return the running discovery
         * @throws NodeConfigurationException when the group does not exist, the interval is not positive, or
         * the engine has no health probe (a member joins once the probe found it usable)
         */
        public GroupDiscovery start() {
            this.probeTimeout = engine.healthProbe().map(HealthProbeOptions::timeout).orElseThrow(() ->
                    new NodeConfigurationException(group, EngineSetting.GROUP_DISCOVERY, "Discovery is set for group '"
                            + group + "', but the health probe, which says when a member that joined may serve, is "
                            + "off.", "Turn on the health probe (PostgresEngine.Builder.healthProbe; "
                            + "piccolo.db.health-probe.enabled in Spring Boot)."));
            if (!engine.groups().containsKey(group)) {
                throw new NodeConfigurationException(group, EngineSetting.GROUP_DISCOVERY, "Discovery is set for '"
                        + group + "', which is not a node group.", "Declare the group (it may have no members); "
                        + "groups: " + engine.groups().keySet() + ".");
            }
            if (interval.isZero() || interval.isNegative()) {
                throw new NodeConfigurationException(group, EngineSetting.GROUP_DISCOVERY_INTERVAL, "Discovery of '"
                        + group + "' runs every " + interval + ".", "Set more than zero, e.g. 10s.");
            }
            return new GroupDiscovery(this).start();
        }
    }
}
