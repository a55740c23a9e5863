package dev.piccolo.engine.spring;

import dev.piccolo.engine.NodeContext;

import org.springframework.core.task.TaskDecorator;

/**
 * Carries the node bound on the thread that submits work to the thread that runs it, for Spring
 * {@code TaskExecutor}s, {@code @Async} methods and virtual threads; the running thread's own binding
 * is restored afterwards, so a pooled thread never keeps a node. Work submitted with nothing bound
 * runs with nothing bound. Thread-safe.
 *
 * @since 0.1
 */
public final class NodeContextTaskDecorator implements TaskDecorator {

    private final NodeContext nodeContext;

    /**
     * Creates the decorator for one engine's bindings.
     *
     * @param nodeContext the engine's node context
     */
    public NodeContextTaskDecorator(NodeContext nodeContext) {
        this.nodeContext = nodeContext;
    }

    @Override
    public Runnable decorate(Runnable runnable) {
        String node = nodeContext.bound().orElse(null);
        return () -> {
            try (NodeContext.Scope scope = nodeContext.propagate(node)) {
                runnable.run();
            }
        };
    }
}
