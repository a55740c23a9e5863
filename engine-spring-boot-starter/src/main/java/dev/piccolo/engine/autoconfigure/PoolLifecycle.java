package dev.piccolo.engine.autoconfigure;

import dev.piccolo.engine.PoolOptions;
import dev.piccolo.engine.PostgresEngine;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;

/**
 * Opens the engine's pools when the application is ready, so that start-up work (migrations,
 * runners) uses connections of its own and the pools open once. Closing happens when the engine bean
 * is destroyed with the context, after the beans that use it.
 */
final class PoolLifecycle implements ApplicationListener<ApplicationReadyEvent>, ApplicationContextAware {

    private final PostgresEngine engine;

    private @Nullable ApplicationContext context;

    PoolLifecycle(PostgresEngine engine) {
        this.engine = engine;
    }

    @Override
    public void setApplicationContext(ApplicationContext context) {
        this.context = context;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        // A child context's ready event reaches its parent too; only this context's own event counts.
        if (event.getApplicationContext() == context) {
            // Nodes built from piccolo.db.* carry their own pool options; an engine of the application's
            // own may not, and opens with the defaults.
            PoolOptions main = engine.node(PostgresEngine.PRIMARY).config().pool();
            engine.startConnectionPool(main != null ? main : PoolOptions.defaults());
        }
    }
}
