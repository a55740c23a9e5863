package dev.piccolo.engine.test;

import java.time.Duration;

/** The pause between two checks of a condition a wait polls for (every such wait has its own deadline). */
final class Polling {

    private Polling() {
    }

    /**
     * Pauses the thread for one poll interval.
     *
     * @param interval how long
     * @throws IllegalStateException when the thread is interrupted; the interrupt is kept
     */
    static void pause(Duration interval) {
        try {
            Thread.sleep(interval.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the cluster", ex);
        }
    }
}
