package dev.piccolo.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Work done on every node at once (start-up checks, opening and closing pools), so that start-up and
 * shutdown take as long as the slowest node rather than the sum of them.
 */
final class NodeTasks {

    private static final int MAX_PARALLEL_NODES = 8;

    private NodeTasks() {
    }

    /**
     * Runs {@code task} for every node at once, at most {@value #MAX_PARALLEL_NODES} at a time, and waits for
     * all of them.
     *
     * @throws RuntimeException the first task's failure, the others' suppressed in it
     */
    static void inParallel(Collection<EngineNode> targets, Consumer<EngineNode> task) {
        if (targets.size() == 1) {
            task.accept(targets.iterator().next());
            return;
        }
        ExecutorService executor = Executors.newFixedThreadPool(Math.min(targets.size(), MAX_PARALLEL_NODES),
                runnable -> {
                    Thread thread = new Thread(runnable, "piccolo-engine-nodes");
                    thread.setDaemon(true);
                    return thread;
                });
        try {
            List<CompletableFuture<Void>> tasks = new ArrayList<>();
            for (EngineNode node : targets) {
                tasks.add(CompletableFuture.runAsync(() -> task.accept(node), executor));
            }
            RuntimeException failure = null;
            for (CompletableFuture<Void> each : tasks) {
                try {
                    each.join();
                }
                catch (CompletionException ex) {
                    RuntimeException cause = ex.getCause() instanceof RuntimeException runtime ? runtime : ex;
                    if (failure == null) {
                        failure = cause;
                    }
                    else {
                        failure.addSuppressed(cause);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
        finally {
            executor.shutdown();
        }
    }

    /**
     * Closes a removed node's pool in the background: borrowed connections finish within its drain timeout.
     *
     * @return completes once the pool is closed
     */
    static CompletableFuture<Void> drainInBackground(EngineNode node) {
        CompletableFuture<Void> drained = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                node.closePool();
                drained.complete(null);
            }
            catch (RuntimeException ex) {
                drained.completeExceptionally(ex);
            }
        }, "piccolo-drain-" + node.name());
        thread.setDaemon(true);
        thread.start();
        return drained;
    }
}
