package dev.piccolo.ecosystem.web;

import java.lang.reflect.Proxy;

import dev.piccolo.engine.NodeRoutingDataSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The web stack with datasource-micrometer's proxy around the engine's {@code DataSource}, as it applies itself. */
class MicrometerProxyWebStackTests extends WebStackTests {

    @Test
    void dataSourceIsWrappedByDatasourceMicrometer() throws Exception {
        assertThat(Proxy.isProxyClass(dataSource.getClass())).isTrue();
        assertThat(dataSource.unwrap(NodeRoutingDataSource.class)).isNotSameAs(dataSource);
    }
}
