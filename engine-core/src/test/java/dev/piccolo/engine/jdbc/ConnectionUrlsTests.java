package dev.piccolo.engine.jdbc;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** Both URL forms a node accepts, and the masking of their credentials wherever a URL is shown. */
class ConnectionUrlsTests {

    @Test
    void passwordsInParametersAndInUserinfoAreMasked() {
        assertThat(ConnectionUrls.mask("jdbc:postgresql://h:5432/d?user=u&password=s3cr3t&sslmode=verify-full"))
                .isEqualTo("jdbc:postgresql://h:5432/d?user=u&password=******&sslmode=verify-full");
        assertThat(ConnectionUrls.mask("jdbc:postgresql://h/d?sslpassword=k3y")).isEqualTo(
                "jdbc:postgresql://h/d?sslpassword=******");
        assertThat(ConnectionUrls.mask("Cannot reach postgresql://app:s3cr3t@db.internal:5432/shop now"))
                .isEqualTo("Cannot reach postgresql://app:******@db.internal:5432/shop now");
        assertThat(ConnectionUrls.mask("postgres://app@db/shop")).isEqualTo("postgres://app@db/shop");
    }

    @Test
    void aJdbcUrlIsReadIntoItsLocationAndEveryParameter() {
        assertThat(ConnectionUrls.toConfig("jdbc:postgresql://db:6432/shop?sslmode=verify-full&sslrootcert=/ca.pem"
                + "&prepareThreshold=0&user=app&password=s3cr3t")).containsOnly(entry("host", "db"),
                        entry("port", "6432"), entry("database", "shop"), entry("sslmode", "verify-full"),
                        entry("sslrootcert", "/ca.pem"), entry("prepareThreshold", "0"), entry("user", "app"),
                        entry("password", "s3cr3t"));
    }

    @Test
    void aLibpqUriIsReadWithDecodedCredentialsAndSeveralHosts() {
        Map<String, String> config = ConnectionUrls.toConfig("postgresql://app:p%40ss@a:5433,b/shop?sslmode=require"
                + "&application_name=web");
        assertThat(config).containsOnly(entry("host", "a,b"), entry("port", "5433,5432"), entry("database", "shop"),
                entry("user", "app"), entry("password", "p@ss"), entry("sslmode", "require"),
                entry("ApplicationName", "web"));
    }
}
