package dev.piccolo.engine.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.piccolo.engine.ExtensionFailurePolicy;
import dev.piccolo.engine.NodeConfig;
import dev.piccolo.engine.NodeGroup;
import dev.piccolo.engine.NodeSwitchPolicy;
import dev.piccolo.engine.PoolOptions;
import dev.piccolo.engine.jdbc.ConnectionUrls;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the Piccolo engine, mirroring the arguments of Piccolo's {@code PostgresEngine}.
 * Pool settings other than the ones below ({@code connection-timeout}, {@code idle-timeout}, ...) are
 * bound straight onto HikariCP's {@code HikariConfig} from {@code piccolo.db.pool.*} and
 * {@code piccolo.db.extra-nodes.<name>.pool.*}.
 *
 * @since 0.1
 */
@ConfigurationProperties(PiccoloDbProperties.PREFIX)
public class PiccoloDbProperties {

    /** Prefix of every engine property. */
    public static final String PREFIX = "piccolo.db";

    /**
     * Whether the engine takes over the application's DataSource. It also steps aside by itself when config
     * is empty and the application's database is not PostgreSQL (an embedded database, another
     * spring.datasource.url, a DataSource of the application's own).
     */
    private boolean enabled = true;

    /**
     * PgJDBC connection properties of the main node: host, port, database, user, password (or url, a
     * full jdbc:postgresql:// URL, or dsn, a postgresql://user:password@host:port/database URI), and any
     * other driver property such as sslmode or ApplicationName. When empty, spring.datasource.url,
     * username, password and hikari.* are used.
     */
    private Map<String, String> config = new LinkedHashMap<>();

    /**
     * Bean name, or the name it ends with (a Testcontainers field or Docker Compose service, as in
     * jdbcConnectionDetailsForPostgres), of the JdbcConnectionDetails that connects the main node, when
     * the application has several.
     */
    private @Nullable String serviceConnection;

    /** Extensions to create on the main node when the application starts; empty for a read-only database. */
    private List<String> extensions = new ArrayList<>(NodeConfig.MAIN_NODE_EXTENSIONS);

    /** Whether to log every statement, with its node and a query id, before it runs. */
    private boolean logQueries;

    /** Whether to log the rows or update count of every statement, with its node and elapsed time. */
    private boolean logResponses;

    /**
     * Whether logged statements show their bind values and logged responses their rows; false logs
     * statements and counts only. Values are personal data as often as not: keep this off in production.
     */
    private boolean logValues = true;

    /** What to do when an extension cannot be created for a reason other than privileges. */
    private ExtensionFailurePolicy extensionFailurePolicy = ExtensionFailurePolicy.FAIL;

    /** Whether to read each node's version and create extensions at start-up. */
    private boolean startupChecks = true;

    /** Connection pool settings, for every node unless a node sets its own. */
    private final Pool pool = new Pool();

    /** Extra nodes (e.g. read replicas) by name; each inherits every main-node setting it does not set. */
    private Map<String, ExtraNode> extraNodes = new LinkedHashMap<>();

    /** Node groups by name: members, balancing, fallback and lag limit of each. */
    private Map<String, Group> nodeGroups = new LinkedHashMap<>();

    /**
     * Node or group that read-only transactions asking for no node go to (every @Transactional(readOnly =
     * true), Spring Data's read-only defaults included); the primary when not set.
     */
    private @Nullable String readOnlyTransactions;

    /**
     * What happens when work asks for another node (@UseNode, NodeContext) inside a transaction already
     * open on a node: join runs it inside that transaction, on its node; fail throws.
     */
    private NodeSwitchPolicy nodeSwitchInTransaction = NodeSwitchPolicy.JOIN;

    /** Whether the node bound on a thread follows work handed to @Async methods, task executors and virtual threads. */
    private boolean contextPropagation;

    /** Background health probe that marks nodes up or down and measures replication lag. */
    private final HealthProbe healthProbe = new HealthProbe();

    /** Reads that see their own session's writes on replicas. */
    private final ReadYourWrites readYourWrites = new ReadYourWrites();

    /** Patroni, asked which server is the primary. */
    private final Patroni patroni = new Patroni();

    /**
     * How long a node that joins while the application runs (added, or discovered) takes to reach its full
     * share of a group's work, from none when the health probe first finds it usable.
     */
    private Duration rampUp = Duration.ofSeconds(30);

    /** The actuator endpoint {@code piccolo}. */
    private final Endpoint endpoint = new Endpoint();

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Map<String, String> getConfig() {
        return this.config;
    }

    public @Nullable String getServiceConnection() {
        return this.serviceConnection;
    }

    public void setServiceConnection(@Nullable String serviceConnection) {
        this.serviceConnection = serviceConnection;
    }

    public boolean isLogValues() {
        return this.logValues;
    }

    public void setLogValues(boolean logValues) {
        this.logValues = logValues;
    }

    public void setConfig(Map<String, String> config) {
        this.config = config;
    }

    public List<String> getExtensions() {
        return this.extensions;
    }

    public void setExtensions(List<String> extensions) {
        this.extensions = extensions;
    }

    public boolean isLogQueries() {
        return this.logQueries;
    }

    public void setLogQueries(boolean logQueries) {
        this.logQueries = logQueries;
    }

    public boolean isLogResponses() {
        return this.logResponses;
    }

    public void setLogResponses(boolean logResponses) {
        this.logResponses = logResponses;
    }

    public ExtensionFailurePolicy getExtensionFailurePolicy() {
        return this.extensionFailurePolicy;
    }

    public void setExtensionFailurePolicy(ExtensionFailurePolicy extensionFailurePolicy) {
        this.extensionFailurePolicy = extensionFailurePolicy;
    }

    public boolean isStartupChecks() {
        return this.startupChecks;
    }

    public void setStartupChecks(boolean startupChecks) {
        this.startupChecks = startupChecks;
    }

    public Pool getPool() {
        return this.pool;
    }

    public Map<String, ExtraNode> getExtraNodes() {
        return this.extraNodes;
    }

    public void setExtraNodes(Map<String, ExtraNode> extraNodes) {
        this.extraNodes = extraNodes;
    }

    public Map<String, Group> getNodeGroups() {
        return this.nodeGroups;
    }

    public void setNodeGroups(Map<String, Group> nodeGroups) {
        this.nodeGroups = nodeGroups;
    }

    public @Nullable String getReadOnlyTransactions() {
        return this.readOnlyTransactions;
    }

    public void setReadOnlyTransactions(@Nullable String readOnlyTransactions) {
        this.readOnlyTransactions = readOnlyTransactions;
    }

    public NodeSwitchPolicy getNodeSwitchInTransaction() {
        return this.nodeSwitchInTransaction;
    }

    public void setNodeSwitchInTransaction(NodeSwitchPolicy nodeSwitchInTransaction) {
        this.nodeSwitchInTransaction = nodeSwitchInTransaction;
    }

    public boolean isContextPropagation() {
        return this.contextPropagation;
    }

    public void setContextPropagation(boolean contextPropagation) {
        this.contextPropagation = contextPropagation;
    }

    public HealthProbe getHealthProbe() {
        return this.healthProbe;
    }

    public ReadYourWrites getReadYourWrites() {
        return this.readYourWrites;
    }

    public Endpoint getEndpoint() {
        return this.endpoint;
    }

    public Duration getRampUp() {
        return this.rampUp;
    }

    public void setRampUp(Duration rampUp) {
        this.rampUp = rampUp;
    }

    public Patroni getPatroni() {
        return this.patroni;
    }

    /** Read-your-writes: a session's reads reach a replica only once it has replayed the session's writes. */
    public static class ReadYourWrites {

        /**
         * Whether to record the primary's WAL position after work that may have written, and check replicas
         * against it for the same session's later reads (in a web application, the HTTP client's).
         */
        private boolean enabled;

        /** How long a read waits for a replica that is behind before it goes to the primary. */
        private Duration maxWait = Duration.ofMillis(50);

        /** The cookie that carries a browser's token from one request to the next. */
        private final Cookie cookie = new Cookie();

        public Cookie getCookie() {
            return this.cookie;
        }

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getMaxWait() {
            return this.maxWait;
        }

        public void setMaxWait(Duration maxWait) {
            this.maxWait = maxWait;
        }
    }

    /** The cookie of read-your-writes' token. */
    public static class Cookie {

        /** The cookie's name; give each application on a host its own when they share a path. */
        private String name = "piccolo-consistency";

        /** The cookie's path; by default the application's context path, so applications do not share it. */
        private @Nullable String path;

        /** The cookie's domain; by default none, so only this host gets it back. */
        private @Nullable String domain;

        /** The cookie's SameSite attribute. */
        private String sameSite = "Lax";

        /** Whether the cookie is sent over HTTPS only; by default when the request came over HTTPS. */
        private @Nullable Boolean secure;

        public String getName() {
            return this.name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public @Nullable String getPath() {
            return this.path;
        }

        public void setPath(@Nullable String path) {
            this.path = path;
        }

        public @Nullable String getDomain() {
            return this.domain;
        }

        public void setDomain(@Nullable String domain) {
            this.domain = domain;
        }

        public String getSameSite() {
            return this.sameSite;
        }

        public void setSameSite(String sameSite) {
            this.sameSite = sameSite;
        }

        public @Nullable Boolean getSecure() {
            return this.secure;
        }

        public void setSecure(@Nullable Boolean secure) {
            this.secure = secure;
        }
    }

    /** Patroni as the cluster's authority on its primary. */
    public static class Patroni {

        /**
         * The members' REST API base URLs (e.g. http://10.0.0.5:8008); when set, work that may write runs only
         * on the leader Patroni names. Needs the health probe.
         */
        private List<URI> restUrls = new ArrayList<>();

        public List<URI> getRestUrls() {
            return this.restUrls;
        }

        public void setRestUrls(List<URI> restUrls) {
            this.restUrls = restUrls;
        }
    }

    /** The background health probe. */
    public static class HealthProbe {

        /** Whether to probe every node in the background; groups, fallbacks and max-lag rely on it. */
        private boolean enabled;

        /** Time between two probes of a node. */
        private Duration interval = Duration.ofSeconds(5);

        /** How long one probe may take, connecting included; at least 1s. */
        private Duration timeout = Duration.ofSeconds(2);

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getInterval() {
            return this.interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }

        public Duration getTimeout() {
            return this.timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }
    }

    /**
     * Where the work of a node or group goes while it cannot take it (down, lagging, out of rotation; for a
     * group, no member usable), and how much lag it may have: the same three settings for both.
     */
    public abstract static class UnusableRules {

        /**
         * Node that takes the work while the node (or every member of the group) is down or lagging; the work
         * fails when not set.
         */
        private @Nullable String fallback;

        /** Most replication lag the node (or a group's member) may have and still take work; needs the health probe. */
        private @Nullable Duration maxLag;

        /**
         * Most WAL the node (or a group's member) may have left to replay and still take work, e.g. 16MB; needs
         * the health probe.
         */
        private @Nullable DataSize maxLagBytes;

        public @Nullable String getFallback() {
            return this.fallback;
        }

        public void setFallback(@Nullable String fallback) {
            this.fallback = fallback;
        }

        public @Nullable Duration getMaxLag() {
            return this.maxLag;
        }

        public void setMaxLag(@Nullable Duration maxLag) {
            this.maxLag = maxLag;
        }

        public @Nullable DataSize getMaxLagBytes() {
            return this.maxLagBytes;
        }

        public void setMaxLagBytes(@Nullable DataSize maxLagBytes) {
            this.maxLagBytes = maxLagBytes;
        }
    }

    /** One node group: the nodes it stands for, how it picks one, and what happens when none is usable. */
    public static class Group extends UnusableRules {

        /** Nodes the group stands for; @UseNode("group") picks one usable member per connection. */
        private List<String> members = new ArrayList<>();

        /** How a member is picked for each unit of work. */
        private NodeGroup.@Nullable Balancing balancing;

        /** Where the group's members are discovered while the application runs, beside those listed. */
        private final Discovery discovery = new Discovery();

        /**
         * Reads the short form {@code node-groups.<name>=a,b}: the members, everything else default.
         *
         * @param members the members, separated by commas
         * @return the group
         */
        public static Group valueOf(String members) {
            return of(StringUtils.commaDelimitedListToSet(members).stream().map(String::strip).toList());
        }

        static Group of(List<String> members) {
            Group group = new Group();
            group.setMembers(new ArrayList<>(members));
            return group;
        }

        public List<String> getMembers() {
            return this.members;
        }

        public void setMembers(List<String> members) {
            this.members = members;
        }

        public NodeGroup.@Nullable Balancing getBalancing() {
            return this.balancing;
        }

        public void setBalancing(NodeGroup.@Nullable Balancing balancing) {
            this.balancing = balancing;
        }

        public Discovery getDiscovery() {
            return this.discovery;
        }
    }

    /** The actuator endpoint {@code piccolo}: who may change the engine's nodes through it. */
    public static class Endpoint {

        /**
         * Roles of which a caller needs one to take nodes out of rotation, add or remove them; writes are off
         * unless management.endpoint.piccolo.access=unrestricted.
         */
        private Set<String> writeRoles = new LinkedHashSet<>(Set.of("PICCOLO_ADMIN"));

        public Set<String> getWriteRoles() {
            return this.writeRoles;
        }

        public void setWriteRoles(Set<String> writeRoles) {
            this.writeRoles = writeRoles;
        }
    }

    /** Discovery of a group's members from the cluster itself: Patroni's REST API or a DNS name. */
    public static class Discovery {

        /**
         * REST API base URLs of the Patroni cluster's members (e.g. http://10.0.0.5:8008): its running replicas
         * become the group's members.
         */
        private List<URI> patroniRestUrls = new ArrayList<>();

        /** DNS name whose addresses become the group's members (a headless service, a name with several records). */
        private @Nullable String dnsName;

        /** Port of every server the DNS name resolves to. */
        private int port = ConnectionUrls.DEFAULT_PORT;

        /** How often the members are discovered again. */
        private Duration interval = Duration.ofSeconds(10);

        /**
         * PgJDBC connection properties of every discovered member; entries not set come from the main node's
         * config, and the member's host and port replace the location.
         */
        private Map<String, String> config = new LinkedHashMap<>();

        /** Whether discovery is configured for the group. */
        boolean isConfigured() {
            return !patroniRestUrls.isEmpty() || dnsName != null;
        }

        public List<URI> getPatroniRestUrls() {
            return this.patroniRestUrls;
        }

        public void setPatroniRestUrls(List<URI> patroniRestUrls) {
            this.patroniRestUrls = patroniRestUrls;
        }

        public @Nullable String getDnsName() {
            return this.dnsName;
        }

        public void setDnsName(@Nullable String dnsName) {
            this.dnsName = dnsName;
        }

        public int getPort() {
            return this.port;
        }

        public void setPort(int port) {
            this.port = port;
        }

        public Duration getInterval() {
            return this.interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }

        public Map<String, String> getConfig() {
            return this.config;
        }

        public void setConfig(Map<String, String> config) {
            this.config = config;
        }
    }

    /** Pool settings of the main node, inherited by extra nodes; and whether the pools open at all. */
    public static class Pool extends NodePool {

        /** Whether to open the pools when the application is ready. */
        private boolean autoStart = true;

        public boolean isAutoStart() {
            return this.autoStart;
        }

        public void setAutoStart(boolean autoStart) {
            this.autoStart = autoStart;
        }
    }

    /** One extra node: what it does not set, it inherits from the main node (extensions excepted). */
    public static class ExtraNode extends UnusableRules {

        /** PgJDBC connection properties of this node; entries it does not set come from the main node's config. */
        private Map<String, String> config = new LinkedHashMap<>();

        /**
         * Bean name, or the name it ends with, of the JdbcConnectionDetails that connects this node; the
         * node's name (read_replica_1 matches ...ForReadReplica1) when not set.
         */
        private @Nullable String serviceConnection;

        /** Whether this node's logged statements and responses show values; the main node's setting when not set. */
        private @Nullable Boolean logValues;

        /** Extensions to create on this node at start-up; none by default (not inherited). */
        private List<String> extensions = new ArrayList<>();

        /** Whether to log this node's statements; the main node's setting when not set. */
        private @Nullable Boolean logQueries;

        /** Whether to log this node's responses; the main node's setting when not set. */
        private @Nullable Boolean logResponses;

        /** Whether this node's connections are read-only, even when the server accepts writes. */
        private boolean readOnly;

        /** Whether the application refuses to start while this node is unreachable, instead of starting degraded. */
        private boolean failFast;

        /** Pool settings of this node; each one not set comes from the main node's pool settings. */
        private final NodePool pool = new NodePool();


        public Map<String, String> getConfig() {
            return this.config;
        }

        public void setConfig(Map<String, String> config) {
            this.config = config;
        }

        public @Nullable String getServiceConnection() {
            return this.serviceConnection;
        }

        public void setServiceConnection(@Nullable String serviceConnection) {
            this.serviceConnection = serviceConnection;
        }

        public @Nullable Boolean getLogValues() {
            return this.logValues;
        }

        public void setLogValues(@Nullable Boolean logValues) {
            this.logValues = logValues;
        }

        public List<String> getExtensions() {
            return this.extensions;
        }

        public void setExtensions(List<String> extensions) {
            this.extensions = extensions;
        }

        public @Nullable Boolean getLogQueries() {
            return this.logQueries;
        }

        public void setLogQueries(@Nullable Boolean logQueries) {
            this.logQueries = logQueries;
        }

        public @Nullable Boolean getLogResponses() {
            return this.logResponses;
        }

        public void setLogResponses(@Nullable Boolean logResponses) {
            this.logResponses = logResponses;
        }

        public boolean isReadOnly() {
            return this.readOnly;
        }

        public void setReadOnly(boolean readOnly) {
            this.readOnly = readOnly;
        }

        public boolean isFailFast() {
            return this.failFast;
        }

        public void setFailFast(boolean failFast) {
            this.failFast = failFast;
        }

        public NodePool getPool() {
            return this.pool;
        }
    }

    /**
     * Pool settings of one node. An extra node takes the main node's value for each it leaves unset; the
     * main node takes the engine's defaults ({@link PoolOptions}).
     */
    public static class NodePool {

        /** Most connections the node's pool holds (Piccolo's max_size); an extra node inherits the main node's. */
        private @Nullable Integer maxSize;

        /** Fewest idle connections the node's pool keeps; as many as max-size when set nowhere. */
        private @Nullable Integer minSize;

        /** How long closing the node's pool waits for borrowed connections; an extra node inherits the main node's. */
        private @Nullable Duration drainTimeout;

        public @Nullable Integer getMaxSize() {
            return this.maxSize;
        }

        public void setMaxSize(@Nullable Integer maxSize) {
            this.maxSize = maxSize;
        }

        public @Nullable Integer getMinSize() {
            return this.minSize;
        }

        public void setMinSize(@Nullable Integer minSize) {
            this.minSize = minSize;
        }

        public @Nullable Duration getDrainTimeout() {
            return this.drainTimeout;
        }

        public void setDrainTimeout(@Nullable Duration drainTimeout) {
            this.drainTimeout = drainTimeout;
        }
    }
}
