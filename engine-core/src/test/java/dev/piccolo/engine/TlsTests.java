package dev.piccolo.engine;

import java.util.Map;

import dev.piccolo.engine.test.OwnCluster;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** TLS settings pass through {@code config} to PgJDBC, against a server with a certificate made at test time. */
@ExtendWith(PostgresClusterExtension.class)
class TlsTests {

    @Test
    void sslmodeRequireConnectsOverTlsToASelfSignedServer(@OwnCluster(replicas = 0) PostgresCluster cluster)
            throws Exception {
        cluster.enableSsl("primary");
        Map<String, String> config = cluster.primary().config(PostgresCluster.newApplicationName());
        config.put("sslmode", "require");
        try (PostgresEngine engine = PostgresEngine.builder(NodeConfig.builder().config(config).build()).build()
                .start()) {
            engine.startConnectionPool(PoolOptions.builder().maxSize(1).build());

            assertThat(TestNodes.queryString(engine.getDataSource(),
                    "SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).isEqualTo("true");
        }
    }

    @Test
    void verifyFullWithoutTheCertificateAuthorityIsRefused(@OwnCluster(replicas = 0) PostgresCluster cluster) {
        cluster.enableSsl("primary");
        Map<String, String> config = cluster.primary().config(PostgresCluster.newApplicationName());
        config.put("sslmode", "verify-full");
        config.put("sslrootcert", "/nonexistent/root.crt");

        assertThatExceptionOfType(NodeUnavailableException.class)
                .isThrownBy(() -> PostgresEngine.builder(NodeConfig.builder().config(config).build()).build().start())
                .withMessageContaining("Node 'primary'");
    }
}
