package dev.piccolo.engine.autoconfigure;

import dev.piccolo.engine.NodeContext;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ThreadLocalAccessor;

import org.springframework.beans.factory.InitializingBean;

/**
 * Registers the bound node with Micrometer's context propagation, so that libraries that capture and
 * restore context across threads (Reactor, {@code ContextSnapshot}, {@code ContextExecutorService})
 * carry it too.
 */
final class NodeContextAccessorRegistration implements InitializingBean {

    private final NodeContext nodeContext;

    NodeContextAccessorRegistration(NodeContext nodeContext) {
        this.nodeContext = nodeContext;
    }

    @Override
    public void afterPropertiesSet() {
        ContextRegistry.getInstance().registerThreadLocalAccessor(new NodeAccessor());
    }

    private final class NodeAccessor implements ThreadLocalAccessor<String> {

        @Override
        public Object key() {
            return NodeContext.KEY;
        }

        @Override
        public String getValue() {
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
}
