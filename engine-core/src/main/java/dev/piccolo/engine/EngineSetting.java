package dev.piccolo.engine;

/**
 * A setting of the engine, of a node or of a node group, named by its key. Failures report the
 * setting at fault as one of these, and each integration names it the way its users write it (see
 * {@link SettingNames}): plain Java reads {@code config.port}, the Spring Boot starter
 * {@code piccolo.db.extra-nodes.read_replica_1.config.port}.
 *
 * @since 0.2
 */
public enum EngineSetting {

    /** The extra nodes, each under its name. */
    EXTRA_NODES(Scope.ENGINE, "extra-nodes", "The extra nodes, each under a name of its own other than 'primary'."),

    /** Where read-only transactions go. */
    READ_ONLY_TRANSACTIONS(Scope.ENGINE, "read-only-transactions",
            "The node or node group that read-only transactions without @UseNode go to."),

    /** The health probe's interval and timeout. */
    HEALTH_PROBE(Scope.ENGINE, "health-probe", "The background probe of every node: interval and timeout."),

    /** The REST APIs of the Patroni cluster whose leader alone takes writes. */
    PATRONI_REST_URLS(Scope.ENGINE, "patroni.rest-urls",
            "Patroni's REST API base URLs: writes run only on the leader it names."),

    /** How long a read waits for a standby to replay its session's writes. */
    READ_YOUR_WRITES_MAX_WAIT(Scope.ENGINE, "read-your-writes.max-wait",
            "How long a read waits for a standby to replay its session's writes before it goes to the primary."),

    /** What the engine does when an extension cannot be created. */
    EXTENSION_FAILURE_POLICY(Scope.ENGINE, "extension-failure-policy",
            "What start-up does when an extension cannot be created: fail or warn."),

    /** The PgJDBC connection properties of a node. */
    CONFIG(Scope.NODE, "config", "The node's PgJDBC connection properties."),

    /** A node's full URL. */
    CONFIG_URL(Scope.NODE, "config.url", "The node's jdbc:postgresql://host:port/database URL."),

    /** A node's libpq connection URI, Piccolo's {@code dsn}. */
    CONFIG_DSN(Scope.NODE, "config.dsn", "The node's postgresql://host:port/database URI, in libpq's form."),

    /** A node's server host. */
    CONFIG_HOST(Scope.NODE, "config.host", "The server's host name or address; several separated by commas."),

    /** A node's server port. */
    CONFIG_PORT(Scope.NODE, "config.port", "The server's TCP port, 1 to 65535 (PostgreSQL's default is 5432)."),

    /** A node's database. */
    CONFIG_DATABASE(Scope.NODE, "config.database", "The name of the database to connect to."),

    /** The role a node logs in as. */
    CONFIG_USER(Scope.NODE, "config.user", "The role to log in as."),

    /** The password of a node's role. */
    CONFIG_PASSWORD(Scope.NODE, "config.password", "The password of the role to log in as."),

    /** Extensions created on a node at start-up. */
    EXTENSIONS(Scope.NODE, "extensions", "The extensions to create on the node at start-up."),

    /** Whether an extra node must be reachable at start-up. */
    FAIL_FAST(Scope.NODE, "fail-fast", "Whether start-up fails when the node does not answer."),

    /** The node that serves when a node is down. */
    FALLBACK(Scope.NODE, "fallback", "The node that serves the node's work while it is down."),

    /** The replication lag above which a node is skipped. */
    MAX_LAG(Scope.NODE, "max-lag", "The replication lag above which the node's work goes to its fallback."),

    /** The WAL bytes behind above which a node is skipped. */
    MAX_LAG_BYTES(Scope.NODE, "max-lag-bytes",
            "The bytes of WAL left to replay above which the node's work goes to its fallback."),

    /** A node pool's largest size. */
    POOL_MAX_SIZE(Scope.NODE, "pool.max-size", "The most connections the node's pool holds, at least 1."),

    /** A node pool's idle size. */
    POOL_MIN_SIZE(Scope.NODE, "pool.min-size", "The idle connections the node's pool keeps, 0 to its max-size."),

    /** How long a closing pool waits for borrowed connections. */
    POOL_DRAIN_TIMEOUT(Scope.NODE, "pool.drain-timeout",
            "How long a closing pool waits for borrowed connections, zero or more."),

    /** A node group as a whole: its name. */
    NODE_GROUP(Scope.GROUP, "", "A node group, under a name that is not a node's."),

    /** The nodes a group stands for. */
    GROUP_MEMBERS(Scope.GROUP, "members", "The nodes the group stands for."),

    /** How a group picks a member. */
    GROUP_BALANCING(Scope.GROUP, "balancing", "How the group picks a member: round-robin or least-borrowed."),

    /** The node that serves when no member of a group can. */
    GROUP_FALLBACK(Scope.GROUP, "fallback", "The node that serves the group's work while no member can."),

    /** The replication lag above which a group skips a member. */
    GROUP_MAX_LAG(Scope.GROUP, "max-lag", "The replication lag above which the group skips a member."),

    /** The WAL bytes behind above which a group skips a member. */
    GROUP_MAX_LAG_BYTES(Scope.GROUP, "max-lag-bytes",
            "The bytes of WAL left to replay above which the group skips a member."),

    /** How long a node that joins while the application runs takes to reach its full share. */
    RAMP_UP(Scope.ENGINE, "ramp-up", "How long a node that joins while the application runs takes to reach its "
            + "full share of a group's work, zero or more."),

    /** Where a group's members are discovered while the application runs. */
    GROUP_DISCOVERY(Scope.GROUP, "discovery", "Where the group's members are discovered while the application "
            + "runs: Patroni's REST API or a DNS name."),

    /** How often a group's members are discovered again. */
    GROUP_DISCOVERY_INTERVAL(Scope.GROUP, "discovery.interval",
            "How often the group's members are discovered again, more than zero.");

    private final Scope scope;

    private final String key;

    private final String description;

    EngineSetting(Scope scope, String key, String description) {
        this.scope = scope;
        this.key = key;
        this.description = description;
    }

    /**
     * Returns what the setting belongs to, which says what the owner passed with it names.
     *
     * @return the scope
     */
    public Scope scope() {
        return scope;
    }

    /**
     * Returns the setting's key within its scope: {@code config.port}, {@code fail-fast},
     * {@code members}; empty for {@link #NODE_GROUP}.
     *
     * @return the key
     */
    public String key() {
        return key;
    }

    /**
     * Returns what the setting holds and which values it takes.
     *
     * @return one sentence
     */
    public String description() {
        return description;
    }

    /** What a setting belongs to. */
    public enum Scope {

        /** The engine as a whole; the owner is {@value PostgresEngine#PRIMARY}. */
        ENGINE,

        /** One node; the owner is its name. */
        NODE,

        /** One node group; the owner is its name. */
        GROUP
    }
}
