package dev.piccolo.engine;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

import org.jspecify.annotations.Nullable;

/**
 * The node that work on the current thread asks for, per engine: the one place the engine's routing
 * {@code DataSource} reads the request from when a unit of work starts. {@link PostgresEngine#nodeContext()}
 * gives the instance of an engine; each engine has its own, so two engines in one JVM never see each
 * other's bindings.
 *
 * <pre>{@code
 * List<Item> items = engine.nodeContext().call("read_replica_1", () -> repository.findAll());
 * }</pre>
 *
 * <p>Binding is per thread and nests: when a body ends, normally or by throwing, the node bound
 * outside it is bound again, and a thread with nothing bound outside is left with nothing at all (its
 * thread-local entry is removed), so pooled threads keep neither a node nor a reference to the engine.
 * Work handed to another thread does not carry the node with it unless it is propagated
 * ({@code dev.piccolo.engine.spring.NodeContextTaskDecorator}). A request made while a transaction is open on another node follows
 * the engine's {@link NodeSwitchPolicy}, decided at the connection.
 *
 * @since 0.1
 */
public final class NodeContext {

    /**
     * The name the node a thread works on goes by outside the engine: the key of propagated contexts
     * (Micrometer context propagation) and of observations' key values.
     *
     * @since 0.2
     */
    public static final String KEY = "piccolo.node";

    /** The node or group bound on each thread; no entry means nothing is bound. */
    private final ThreadLocal<String> bound = new ThreadLocal<>();

    /**
     * The node that served the last statement on each thread. A name, never an engine object, so a
     * stale entry on a pooled thread holds no class loader.
     */
    private final ThreadLocal<String> served = new ThreadLocal<>();

    /** The names work may be bound to now; replaced whole when the engine's topology changes. */
    private volatile Names names;

    NodeContext(List<String> nodeNames) {
        this.names = new Names(nodeNames);
    }

    /** Binds work to these names from now on: the engine's topology changed. */
    void use(List<String> nodeNames) {
        this.names = new Names(nodeNames);
    }

    /** A list for messages, a set for look-ups, always of the same names. */
    private record Names(List<String> ordered, Set<String> known) {

        Names(List<String> ordered) {
            this(List.copyOf(ordered), Set.copyOf(ordered));
        }
    }

    /**
     * Returns the node or group bound on this thread, or {@link PostgresEngine#PRIMARY} when none is.
     *
     * @return the current request
     */
    public String current() {
        String node = bound.get();
        return node != null ? node : NodeNames.PRIMARY;
    }

    /**
     * Returns the node or group bound on this thread, if any.
     *
     * @return the bound name, or empty when work goes to the primary (or read-only routing) by default
     */
    public Optional<String> bound() {
        return Optional.ofNullable(bound.get());
    }

    /**
     * Returns the node that served the last statement issued on this thread through the engine's
     * {@code DataSource}: where the work really ran, also when it joined a transaction on another node,
     * fell back, or was sent by read-only routing. For observations and logs of the statement just run.
     *
     * @return the node name, or empty when this thread has issued no statement yet
     */
    public Optional<String> lastServedNode() {
        return Optional.ofNullable(served.get());
    }

    void served(String node) {
        served.set(node);
    }

    /** The bound name or {@code null}, for the routing hot path. */
    String boundOrNull() {
        return bound.get();
    }

    /**
     * Runs {@code body} with {@code node} bound, then binds the outer node again.
     *
     * @param node a configured node or group name
     * @param body the work
     * @throws UnknownNodeException when the engine has no such node or group
     */
    public void run(String node, Runnable body) {
        try (Scope scope = bind(node)) {
            body.run();
        }
    }

    /**
     * Calls {@code body} with {@code node} bound, then binds the outer node again.
     *
     * @param <T> the result type
     * @param node a configured node or group name
     * @param body the work
     * @return what {@code body} returned
     * @throws UnknownNodeException when the engine has no such node or group
     * @throws Exception what {@code body} threw
     */
    public <T> T call(String node, Callable<T> body) throws Exception {
        try (Scope scope = bind(node)) {
            return body.call();
        }
    }

    /**
     * Binds {@code node} on this thread until the returned scope is closed, for try-with-resources.
     * Close it on the same thread.
     *
     * @param node a configured node or group name
     * @return the scope that restores the outer node when closed
     * @throws UnknownNodeException when the engine has no such node or group
     */
    public Scope bind(String node) {
        requireKnown(node);
        return new Scope(enter(node));
    }

    /**
     * Binds exactly {@code node} (or nothing, for {@code null}) on this thread until the returned scope
     * is closed, without checking the name: for carrying a binding that was checked when first made to
     * another thread ({@link dev.piccolo.engine.spring.NodeContextTaskDecorator}, context-propagation accessors).
     *
     * @param node the node or group bound on the thread that handed the work over, or {@code null}
     * @return the scope that restores this thread's previous binding when closed
     */
    public Scope propagate(@Nullable String node) {
        return new Scope(enter(node));
    }

    /**
     * Binds {@code node} (or nothing) and returns what was bound before, for {@link #restore(String)}.
     * The {@code @UseNode} advice uses this pair directly: no scope object per advised call.
     */
    @Nullable String enter(@Nullable String node) {
        String outer = bound.get();
        set(node);
        return outer;
    }

    /** Binds {@code outer} again, as returned by {@link #enter(String)}. */
    void restore(@Nullable String outer) {
        set(outer);
    }

    private void set(@Nullable String node) {
        if (node != null) {
            bound.set(node);
        }
        else {
            bound.remove();
        }
    }

    /** Throws {@link UnknownNodeException}, listing the names there are, unless the node or group exists. */
    void requireKnown(@Nullable String node) {
        if (node == null || !isKnown(node)) {
            throw new UnknownNodeException(node, names.ordered());
        }
    }

    /**
     * Returns whether work may be bound to {@code name}: a node or group of the engine, matched exactly.
     *
     * @param name a node or group name
     * @return {@code true} when the engine has it
     * @since 0.2
     */
    public boolean isKnown(String name) {
        return names.known().contains(name);
    }

    /**
     * Returns the names work may be bound to: the engine's nodes, the main node first, then its groups.
     *
     * @return the node and group names there are now
     */
    public List<String> nodeNames() {
        return names.ordered();
    }

    /** A binding made by {@link #bind(String)}; closing it binds the outer node again. */
    public final class Scope implements AutoCloseable {

        private final @Nullable String outer;

        private boolean closed;

        private Scope(@Nullable String outer) {
            this.outer = outer;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                restore(outer);
            }
        }
    }
}
