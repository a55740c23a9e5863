package dev.piccolo.ecosystem.web;

import org.junit.jupiter.api.Test;

import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** The web stack with the engine's {@code DataSource} wrapped in a {@code DelegatingDataSource}, no proxy. */
@TestPropertySource(properties = { "test.wrap-data-source=delegating", "jdbc.datasource-proxy.enabled=false" })
class DelegatingDataSourceWebStackTests extends WebStackTests {

    @Test
    void dataSourceIsADelegatingDataSource() {
        assertThat(dataSource).isInstanceOf(DelegatingDataSource.class);
    }
}
