package dev.piccolo.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.WeakHashMap;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.piccolo.engine.jdbc.ConnectionUrls;
import dev.piccolo.engine.jdbc.ServerReading;
import dev.piccolo.engine.jdbc.UnpooledConnections;
import dev.piccolo.engine.logging.QueryLogging;
import org.jspecify.annotations.Nullable;
import org.postgresql.Driver;
import org.postgresql.PGProperty;
import org.postgresql.core.BaseConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * One node of an engine: its name, its configuration, and its {@link #dataSource()}, which hands out
 * connections from the node's pool while the pool runs and opens a connection of its own per
 * request otherwise (before the pool starts and after it closes), as Piccolo does.
 *
 * <p>Thread-safe. Connection failures are reported as {@link SQLException}s whose message starts
 * with the node's name and keeps the driver's SQLSTATE.
 *
 * @since 0.1
 */
public final class EngineNode {

    /** Prefix of every pool's name: node {@code read_replica_1} has pool {@code piccolo-read_replica_1}. */
    public static final String POOL_NAME_PREFIX = "piccolo-";

    private static final Logger logger = LoggerFactory.getLogger(EngineNode.class);

    private static final Driver DRIVER = new Driver();

    private final String name;

    private final NodeConfig config;

    private final ConnectionSettings settings;

    private final UnpooledConnections unpooled;

    private final PoolCustomizer customizer;

    private final SettingNames settingNames;

    private final ServerRole role;

    private final NodePool pool;

    private final DataSource dataSource;

    private final NodeObservations observed;

    /** When each physical connection of the node was opened ({@link System#nanoTime()}); weak, so closed ones go. */
    private final Map<BaseConnection, Long> openedAt = Collections.synchronizedMap(new WeakHashMap<>());

    /** Orders the hosts for each new connection when the config lists several, {@code null} otherwise. */
    private final @Nullable HostChooser hostChooser;

    /** The share of a group's work the node takes: ramped when it joined while the application runs. */
    private final Ramp ramp;

    /**
     * Whether the node joined while the application runs and the probe has not yet seen it up and streaming:
     * until then it serves no group, whatever the group's limits (it may be restoring from an archive).
     */
    private volatile boolean awaitingStream;

    /** Whether routing may pick the node; an operator takes it out of rotation and back. */
    private volatile boolean inRotation = true;

    /** Whether the node was removed from its engine: it opens no connection any more. */
    private volatile boolean retired;

    EngineNode(String name, NodeConfig config, QueryLogging queryLogging, PoolCustomizer customizer,
            SettingNames settingNames, ClusterView cluster, LagLimits strictestLimits, Ramp ramp,
            boolean awaitingStream) {
        this.name = name;
        this.pool = new NodePool(name);
        this.ramp = ramp;
        this.awaitingStream = awaitingStream;
        this.config = config;
        this.customizer = customizer;
        this.settingNames = settingNames;
        this.settings = ConnectionSettings.read(name, config.config(), config.readOnly());
        this.role = ServerRole.of(name, settings.targetServerType());
        this.observed = new NodeObservations(settings.severalHosts());
        this.hostChooser = settings.severalHosts() ? new HostChooser(name, settings.hosts(), role,
                settings.loadBalanced(), cluster, strictestLimits) : null;
        PoolOptions unpooledLimits = config.pool() != null ? config.pool() : PoolOptions.defaults();
        this.unpooled = new UnpooledConnections(name, () -> connectToServer(settings.driverProperties()),
                poolConfig(unpooledLimits, true));
        this.dataSource = queryLogging.wrap(name,
                new QueryLogging.Options(config.logQueries(), config.logResponses(), config.logValues()),
                new NodeDataSource());
    }

    /**
     * Returns the node's name.
     *
     * @return {@code primary} or the extra node's name as configured
     */
    public String name() {
        return name;
    }

    /**
     * Returns the node's configuration.
     *
     * @return the configuration the engine was built with
     */
    public NodeConfig config() {
        return config;
    }

    /**
     * Returns this node's own {@code DataSource}, which ignores the routing context.
     *
     * @return pooled while the pool runs, one connection per request otherwise
     */
    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * Returns the JDBC URL of this node, with any password in it masked.
     *
     * @return the URL
     */
    public String url() {
        return ConnectionUrls.mask(settings.url());
    }

    /**
     * Returns whether this node's connections are read-only.
     *
     * @return {@code true} when configured {@code readOnly}
     */
    public boolean isReadOnly() {
        return config.readOnly();
    }

    /**
     * Returns the server version read when the engine started, if the node was reachable then.
     *
     * @return the version, or empty when unknown
     */
    public Optional<ServerVersion> serverVersion() {
        return Optional.ofNullable(observed.serverVersion());
    }

    /**
     * Returns whether the node's pool is running.
     *
     * @return {@code true} while connections come from the pool
     */
    public boolean isPooled() {
        return pool.running() != null;
    }

    /** The running pool, empty when unpooled; the engine's own, never handed to users to close or resize. */
    Optional<HikariDataSource> pool() {
        return Optional.ofNullable(pool.running());
    }

    /**
     * Returns what the node's running pool was opened with.
     *
     * @return the pool's settings, empty while the node is unpooled
     * @since 0.2
     */
    public Optional<PoolSettings> poolSettings() {
        return pool().map(PoolSettings::of);
    }

    /**
     * Returns whether routing may pick this node. A node out of rotation takes no new unit of work: its
     * name and the groups it is in fall back or fail as when it is down; work in flight finishes.
     *
     * @return {@code false} while an operator keeps it out ({@link PostgresEngine#takeOutOfRotation})
     * @since 0.3
     */
    public boolean inRotation() {
        return inRotation;
    }

    void inRotation(boolean inRotation) {
        this.inRotation = inRotation;
    }

    /** How long borrowed connections may finish when the pool closes. */
    Duration drainTimeout() {
        return pool.drainTimeout();
    }

    /** Marks the node removed: from now on it opens no connection, pooled or not. */
    void retire() {
        retired = true;
    }

    /** Whether the node joined while the application runs and has not been seen streaming yet. */
    boolean awaitingStream() {
        return awaitingStream;
    }

    /** The probe saw the node up and not known to be behind a stopped WAL receiver: it may serve, its ramp starts. */
    void seenServing() {
        awaitingStream = false;
        ramp.start();
    }

    /** The share of a group's work the node takes now. */
    Ramp ramp() {
        return ramp;
    }

    /** The node's own lag limits ({@code max-lag}, {@code max-lag-bytes}). */
    LagLimits ownLimits() {
        return config.lagLimits();
    }

    /** Which servers this node's connections may be on. */
    ServerRole role() {
        return role;
    }

    /**
     * Whether each connection's server is judged on its own ({@link ServerSession#refusal}): the node spans
     * servers, or it wants a standby, which its one server may stop being.
     */
    boolean judgedByServer() {
        return observed.spansServers() || role == ServerRole.STANDBY;
    }

    /** Orders the hosts of a node whose config lists several; empty for one host. */
    Optional<HostChooser> hostChooser() {
        return Optional.ofNullable(hostChooser);
    }

    /** Whether {@code connection} must end at its release rather than go back to the pool. */
    boolean retire(BaseConnection connection) {
        return hostChooser != null && hostChooser.retire(connection);
    }

    /**
     * Opens a physical connection to one of the node's servers, in the order the host chooser gives when
     * the config lists several hosts.
     */
    private Connection connectToServer(Properties properties) throws SQLException {
        Connection connection = hostChooser == null ? DRIVER.connect(settings.url(), properties)
                : DRIVER.connect(settings.urlFor(hostChooser.order()), hostChooser.inOrder(properties));
        try {
            BaseConnection driver = connection.unwrap(BaseConnection.class);
            openedAt.put(driver, System.nanoTime());
            if (hostChooser != null) {
                hostChooser.opened(driver);
            }
        }
        catch (SQLException | RuntimeException ex) {
            connection.close();
            throw ex;
        }
        return connection;
    }

    /** Whether {@code connection} was opened at or after {@code since} ({@link System#nanoTime()}). */
    boolean openedSince(BaseConnection connection, long since) {
        Long at = openedAt.get(connection);
        return at != null && at - since >= 0;
    }

    /** What the probe opens a connection to, one per host of the config: each server of the node is read on its own. */
    List<String> probeTargets() {
        return settings.hosts();
    }

    /**
     * Borrows a connection waiting at most {@code wait} for one of the pool's, for a question of the
     * engine's own that must not hold up the work asking it; unpooled, opens one.
     *
     * @param wait the longest wait for a pooled connection
     * @return a connection the caller closes
     * @throws SQLException when none is free in time or the server does not answer
     */
    Connection connectionWithin(Duration wait) throws SQLException {
        Connection pooled = pool.connectionWithin(wait);
        return pooled != null ? pooled : dataSource.getConnection();
    }

    /**
     * Returns a snapshot of the pool's connections.
     *
     * @return the statistics, or empty when unpooled
     */
    public Optional<PoolStatistics> poolStatistics() {
        return pool.statistics();
    }

    /**
     * Returns whether this node's connections start in auto-commit mode: the pool's setting, which the
     * unpooled connections before and after the pool follow too.
     *
     * @return {@code true} for auto-commit
     */
    boolean autoCommitByDefault() {
        HikariDataSource running = pool.running();
        return running != null ? running.isAutoCommit() : unpooled.autoCommit();
    }

    /** The most connections the pool holds, 0 when unpooled. */
    int poolSize() {
        return pool.size();
    }

    /**
     * Returns how many of the pool's connections are borrowed right now.
     *
     * @return the borrowed count, 0 when unpooled
     */
    int borrowedConnections() {
        return pool.borrowed();
    }

    /**
     * Opens a connection to one of the node's hosts outside the pool, whose connecting and reading are
     * bounded by {@code timeout}, for the health probe.
     *
     * @param host one of {@link #probeTargets()}
     * @param timeout the bound, whole seconds
     * @return a connection the caller closes
     * @throws SQLException when the server does not answer in time
     */
    Connection openProbeConnection(String host, Duration timeout) throws SQLException {
        Properties properties = settings.driverProperties();
        String seconds = Long.toString(timeout.toSeconds());
        properties.setProperty(PGProperty.CONNECT_TIMEOUT.getName(), seconds);
        properties.setProperty(PGProperty.SOCKET_TIMEOUT.getName(), seconds);
        properties.setProperty(PGProperty.LOGIN_TIMEOUT.getName(), seconds);
        // This server, whatever its role: the probe reads each one to know the roles.
        properties.remove(PGProperty.TARGET_SERVER_TYPE.getName());
        properties.remove(PGProperty.LOAD_BALANCE_HOSTS.getName());
        return DRIVER.connect(settings.urlFor(host), properties);
    }

    /**
     * Returns what the health probe last saw of this node; up when no probe runs.
     *
     * @return the node's status
     */
    public NodeStatus status() {
        return observed.status();
    }

    /**
     * Returns what the health probe last read of each of the node's servers that answered: address, role
     * (in recovery or not), timeline, lag, whether it streams, when it started.
     *
     * @return the readings, empty before the first probe or when no probe runs
     * @since 0.3
     */
    public List<ServerReading> servers() {
        return observed.serverReadings();
    }

    /** What has been seen of the node's servers; this class keeps what was configured and the pool. */
    NodeObservations observed() {
        return observed;
    }

    /** The pool's settings: the options, this node's connection, then the customizer, which has the last word. */
    private HikariConfig poolConfig(PoolOptions options, boolean mustConnect) {
        HikariConfig hikari = new HikariConfig();
        options.applyTo(hikari);
        hikari.setPoolName(POOL_NAME_PREFIX + name);
        if (hostChooser != null) {
            hikari.setDataSource(new ChosenHostConnections(hikari));
        }
        else {
            hikari.setDriverClassName(Driver.class.getName());
            hikari.setJdbcUrl(settings.url());
            hikari.setUsername(settings.user());
            hikari.setPassword(settings.password());
            hikari.setDataSourceProperties(settings.poolDriverProperties());
        }
        hikari.setReadOnly(config.readOnly());
        if (!mustConnect) {
            hikari.setInitializationFailTimeout(-1);
        }
        customizer.customize(name, hikari);
        if (hostChooser != null && hikari.getJdbcUrl() != null) {
            throw new NodeConfigurationException(name, EngineSetting.CONFIG_HOST, "The pool of node '" + name
                    + "' was given a JDBC URL by a PoolCustomizer, but the node lists several hosts, whose servers "
                    + "the engine picks itself.", "Set the hosts in the node's config, not through the pool.");
        }
        return hikari;
    }

    /**
     * Opens this node's pool.
     *
     * @param options sizes and HikariCP settings
     * @param mustConnect whether opening fails when the server does not answer; when {@code false} the
     * pool opens empty and connects once the server is up
     */
    void openPool(PoolOptions options, boolean mustConnect) {
        HikariConfig hikari = poolConfig(options, mustConnect);
        try {
            pool.open(hikari, options.drainTimeout());
        }
        catch (RuntimeException ex) {
            ConnectionFailure failure = ex.getCause() instanceof SQLException sql
                    ? ConnectionFailure.of(name, url(), sql, settingNames)
                    : new ConnectionFailure("The pool of node '" + name + "' (" + url() + ") cannot open: "
                            + ex.getMessage(), "");
            throw new NodeUnavailableException(name, failure.problem(), failure.remedy(), ex);
        }
        logger.info("Pool of node '{}' opened ({} connections at most, {})", name, hikari.getMaximumPoolSize(), url());
    }

    /**
     * Closes the pool: new requests get connections of their own at once, borrowed connections may
     * finish within the pool's drain timeout, then the pool closes.
     */
    void closePool() {
        pool.close();
    }

    private Connection connect() throws SQLException {
        while (true) {
            if (retired) {
                throw new SQLTransientConnectionException("Node '" + name + "' was removed from the engine: it opens "
                        + "no new connection. Ask for a node it has.", "08001");
            }
            HikariDataSource running = pool.running();
            try {
                return running != null ? running.getConnection() : unpooled.getConnection();
            }
            catch (SQLException ex) {
                if (running != null && pool.closedSince(running)) {
                    // The pool closed between reading it and asking it: ask what serves now.
                    continue;
                }
                String message = ConnectionFailure.of(name, url(), ex, settingNames).message();
                throw ex instanceof SQLTransientConnectionException
                        ? new SQLTransientConnectionException(message, ex.getSQLState(), ex.getErrorCode(), ex)
                        : new SQLException(message, ex.getSQLState(), ex.getErrorCode(), ex);
            }
        }
    }

    @Override
    public String toString() {
        return "EngineNode[name=" + name + ", url=" + url() + ", pooled=" + isPooled() + "]";
    }

    /**
     * The physical connections of a pool whose node lists several hosts: each to the host the chooser
     * puts first that the driver accepts. The pool's connection timeout bounds the login, as it does for
     * HikariCP's own driver data source.
     */
    private final class ChosenHostConnections extends SingleUserDataSource {

        /** The pool's settings: driver properties a customizer adds there count, as for a single host. */
        private final HikariConfig pool;

        private volatile int loginTimeoutSeconds;

        ChosenHostConnections(HikariConfig pool) {
            this.pool = pool;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return connectToServer(properties());
        }

        /** With the user and password a customizer gave the pool, which HikariCP then passes here. */
        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            Properties properties = properties();
            properties.setProperty(ConnectionUrls.USER, username);
            if (password != null) {
                properties.setProperty(ConnectionUrls.PASSWORD, password);
            }
            return connectToServer(properties);
        }

        private Properties properties() {
            Properties properties = settings.driverProperties();
            properties.putAll(pool.getDataSourceProperties());
            if (loginTimeoutSeconds > 0) {
                properties.putIfAbsent(PGProperty.LOGIN_TIMEOUT.getName(), Integer.toString(loginTimeoutSeconds));
            }
            return properties;
        }

        @Override
        public void setLoginTimeout(int seconds) {
            this.loginTimeoutSeconds = seconds;
        }

        @Override
        public int getLoginTimeout() {
            return loginTimeoutSeconds;
        }

        @Override
        public String toString() {
            return "ChosenHostConnections[" + name + "]";
        }
    }

    /** The node's connections, before any query-logging proxy. */
    private final class NodeDataSource extends SingleUserDataSource {

        @Override
        public Connection getConnection() throws SQLException {
            return connect();
        }

        @Override
        public String toString() {
            return "NodeDataSource[" + name + "]";
        }
    }
}
