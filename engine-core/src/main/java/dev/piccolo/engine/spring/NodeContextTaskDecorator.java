package dev.piccolo.engine.spring;

import dev.piccolo.engine.ConsistencyToken;
import dev.piccolo.engine.NodeContext;
import dev.piccolo.engine.ReadYourWrites;
import org.jspecify.annotations.Nullable;

import org.springframework.core.task.TaskDecorator;

/**
 * Carries the node bound on the thread that submits work to the thread that runs it, for Spring
 * {@code TaskExecutor}s, {@code @Async} methods and virtual threads, and with read-your-writes the
 * submitter's causal session too: the work sees what the submitter wrote before handing it over. The
 * running thread's own binding and session are restored afterwards, so a pooled thread keeps neither.
 * Work submitted with nothing bound runs with nothing bound. Thread-safe.
 *
 * @since 0.1
 */
public final class NodeContextTaskDecorator implements TaskDecorator {

    private final NodeContext nodeContext;

    private final @Nullable ReadYourWrites readYourWrites;

    /**
     * Creates the decorator for one engine's bindings.
     *
     * @param nodeContext the engine's node context
     */
    public NodeContextTaskDecorator(NodeContext nodeContext) {
        this(nodeContext, null);
    }

    /**
     * Creates the decorator for one engine's bindings and causal sessions.
     *
     * @param nodeContext the engine's node context
     * @param readYourWrites the engine's read-your-writes, or {@code null} to carry the node only
     * @since 0.3
     */
    public NodeContextTaskDecorator(NodeContext nodeContext, @Nullable ReadYourWrites readYourWrites) {
        this.nodeContext = nodeContext;
        this.readYourWrites = readYourWrites;
    }

    @Override
    public Runnable decorate(Runnable runnable) {
        String node = nodeContext.bound().orElse(null);
        if (readYourWrites == null) {
            return () -> {
                try (NodeContext.Scope scope = nodeContext.propagate(node)) {
                    runnable.run();
                }
            };
        }
        ConsistencyToken written = readYourWrites.lastWrite();
        return () -> {
            try (NodeContext.Scope scope = nodeContext.propagate(node);
                    ReadYourWrites.Session session = readYourWrites.open(written)) {
                runnable.run();
            }
        };
    }
}
