package dev.piccolo.engine.autoconfigure;

import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.spring.UseNodeAttributeSource;
import dev.piccolo.engine.spring.UseNodeInterceptor;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;

/**
 * The {@code @UseNode} advice as registered with the post-processors: it looks the engine up on the
 * first advised call, so that the advisor, created before ordinary beans, does not build the engine
 * early. A plain field rather than a supplier wrapper keeps the per-call path one frame shorter, which
 * the benchmarks show (the JIT inlines Spring's own invocation code then).
 */
final class LazyUseNodeInterceptor implements MethodInterceptor {

    private final ObjectProvider<PostgresEngine> engine;

    private final UseNodeAttributeSource attributes;

    private volatile @Nullable UseNodeInterceptor delegate;

    LazyUseNodeInterceptor(ObjectProvider<PostgresEngine> engine, UseNodeAttributeSource attributes) {
        this.engine = engine;
        this.attributes = attributes;
    }

    @Override
    public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
        UseNodeInterceptor interceptor = delegate;
        if (interceptor == null) {
            interceptor = resolve();
        }
        return interceptor.invoke(invocation);
    }

    private synchronized UseNodeInterceptor resolve() {
        if (delegate == null) {
            delegate = new UseNodeInterceptor(engine.getObject().nodeContext(), attributes);
        }
        return delegate;
    }
}
