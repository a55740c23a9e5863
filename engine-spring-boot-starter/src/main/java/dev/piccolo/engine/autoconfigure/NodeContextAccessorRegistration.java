package dev.piccolo.engine.autoconfigure;

import java.util.ArrayDeque;
import java.util.Deque;

import dev.piccolo.engine.ConsistencyToken;
import dev.piccolo.engine.NodeContext;
import dev.piccolo.engine.ReadYourWrites;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ThreadLocalAccessor;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.InitializingBean;

/**
 * Registers the bound node and the causal session of read-your-writes with Micrometer's context
 * propagation, so that libraries that capture and restore context across threads (Reactor,
 * {@code ContextSnapshot}, {@code ContextExecutorService}) carry them too.
 */
final class NodeContextAccessorRegistration implements InitializingBean {

    /** The key the causal session's token goes by in propagated contexts. */
    static final String CONSISTENCY_KEY = "piccolo.consistency";

    private final NodeContext nodeContext;

    private final ReadYourWrites readYourWrites;

    NodeContextAccessorRegistration(NodeContext nodeContext, ReadYourWrites readYourWrites) {
        this.nodeContext = nodeContext;
        this.readYourWrites = readYourWrites;
    }

    @Override
    public void afterPropertiesSet() {
        ContextRegistry.getInstance().registerThreadLocalAccessor(new NodeAccessor());
        ContextRegistry.getInstance().registerThreadLocalAccessor(new ConsistencyAccessor());
    }

    private final class NodeAccessor implements ThreadLocalAccessor<String> {

        @Override
        public Object key() {
            return NodeContext.KEY;
        }

        @Override
        public @Nullable String getValue() {
            return nodeContext.bound().orElse(null);
        }

        @Override
        public void setValue(String node) {
            nodeContext.propagate(node);
        }

        @Override
        public void setValue() {
            nodeContext.propagate(null);
        }
    }

    /**
     * Each restored snapshot opens a causal session on the thread, closed when the snapshot's scope
     * closes: sessions nest, so the thread's own comes back.
     */
    private final class ConsistencyAccessor implements ThreadLocalAccessor<ConsistencyToken> {

        private final ThreadLocal<Deque<ReadYourWrites.Session>> opened = ThreadLocal.withInitial(ArrayDeque::new);

        @Override
        public Object key() {
            return CONSISTENCY_KEY;
        }

        @Override
        public @Nullable ConsistencyToken getValue() {
            return readYourWrites.lastWrite();
        }

        @Override
        public void setValue(ConsistencyToken token) {
            opened.get().push(readYourWrites.open(token));
        }

        @Override
        public void setValue() {
            opened.get().push(readYourWrites.open(null));
        }

        @Override
        public void restore(ConsistencyToken previous) {
            restore();
        }

        @Override
        public void restore() {
            Deque<ReadYourWrites.Session> sessions = opened.get();
            ReadYourWrites.Session session = sessions.poll();
            if (session != null) {
                session.close();
            }
            if (sessions.isEmpty()) {
                opened.remove();
            }
        }
    }
}
