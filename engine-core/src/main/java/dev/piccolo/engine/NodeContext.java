package dev.piccolo.engine;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The node that work on the current thread runs on: the one place the routing {@code DataSource}
 * reads it from. {@link PostgresEngine#nodeContext()} gives the instance that knows the engine's
 * node names.
 *
 * <pre>{@code
 * List<Item> items = engine.nodeContext().call("read_replica_1", () -> repository.findAll());
 * }</pre>
 *
 * <p>Binding is per thread and nests: when a body ends, normally or by throwing, the node bound
 * outside it is bound again, and a thread with nothing bound outside is left with nothing bound, so
 * pooled threads keep no node. Work handed to another thread does not carry the node with it.
 */
public final class NodeContext {

    /**
     * One mutable holder per thread: binding and restoring are then plain field writes after a single
     * {@code ThreadLocal.get()}, which the benchmarks show on every advised call. A holder whose field
     * is {@code null} means nothing is bound.
     */
    private static final ThreadLocal<Binding> CURRENT = ThreadLocal.withInitial(Binding::new);

    private final List<String> nodeNames;

    private final Set<String> known;

    NodeContext(List<String> nodeNames) {
        this.nodeNames = List.copyOf(nodeNames);
        this.known = Set.copyOf(nodeNames);
    }

    /**
     * Returns the node bound on this thread, or {@link PostgresEngine#PRIMARY} when none is.
     *
     * @return the current node name
     */
    public static String current() {
        String node = CURRENT.get().node;
        return node != null ? node : PostgresEngine.PRIMARY;
    }

    /** This thread's binding holder, for the interceptor's hot path. */
    static Binding binding() {
        return CURRENT.get();
    }

    /**
     * Returns the node bound on this thread, if any.
     *
     * @return the bound node, or empty when work goes to the primary by default
     */
    public static Optional<String> bound() {
        return Optional.ofNullable(CURRENT.get().node);
    }

    /**
     * Runs {@code body} with {@code node} bound, then binds the outer node again.
     *
     * @param node a configured node name
     * @param body the work
     * @throws UnknownNodeException when the engine has no such node
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
     * @param node a configured node name
     * @param body the work
     * @return what {@code body} returned
     * @throws UnknownNodeException when the engine has no such node
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
     * @param node a configured node name
     * @return the scope that restores the outer node when closed
     * @throws UnknownNodeException when the engine has no such node
     */
    public Scope bind(String node) {
        requireKnown(node);
        return Scope.enter(node);
    }

    /**
     * Binds exactly {@code node} (or nothing, for {@code null}) on this thread until the returned scope
     * is closed, without checking the name: for carrying a binding that was checked when first made to
     * another thread ({@link NodeContextTaskDecorator}, context-propagation accessors).
     *
     * @param node the node or group bound on the thread that handed the work over, or {@code null}
     * @return the scope that restores this thread's previous binding when closed
     */
    public static Scope propagate(String node) {
        return Scope.enter(node);
    }

    /**
     * Checks that the engine has a node of this name.
     *
     * @param node the name to check
     * @throws UnknownNodeException when it does not, listing the names it has
     */
    public void requireKnown(String node) {
        if (node == null || !known.contains(node)) {
            throw new UnknownNodeException(node, nodeNames);
        }
    }

    /**
     * Returns the names work may be bound to: the engine's nodes, the main node first, then its groups.
     *
     * @return the configured node and group names
     */
    public List<String> nodeNames() {
        return nodeNames;
    }

    /** The node bound on one thread, {@code null} for none. Only its own thread touches it. */
    static final class Binding {

        String node;
    }

    /** A binding made by {@link #bind(String)}; closing it binds the outer node again. */
    public static final class Scope implements AutoCloseable {

        private final Binding binding;

        private final String outer;

        private boolean closed;

        private Scope(Binding binding, String outer) {
            this.binding = binding;
            this.outer = outer;
        }

        private static Scope enter(String node) {
            Binding binding = CURRENT.get();
            Scope scope = new Scope(binding, binding.node);
            binding.node = node;
            return scope;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                binding.node = outer;
            }
        }
    }
}
