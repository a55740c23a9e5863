package dev.piccolo.engine;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** A node's {@code config} map read into a URL, a user and a password, and the secrets kept out of sight. */
class ConnectionSettingsTests {

    @Test
    void aDsnConfiguresANodeAndItsOwnKeysWin() {
        NodeConfig node = NodeConfig.builder().config(Map.of("dsn", "postgresql://app:s3cr3t@db:6432/shop",
                "user", "reporting")).build();
        ConnectionSettings settings = ConnectionSettings.read("primary", node.config(), false);

        assertThat(settings.url()).isEqualTo("jdbc:postgresql://db:6432/shop");
        assertThat(settings.user()).isEqualTo("reporting");
        assertThat(settings.password()).isEqualTo("s3cr3t");
        assertThat(node.toString()).doesNotContain("s3cr3t");
        assertThat(settings.toString()).doesNotContain("s3cr3t");
    }

    @Test
    void aKeyValueDsnIsRejectedWithoutRepeatingIt() {
        assertThatExceptionOfType(NodeConfigurationException.class)
                .isThrownBy(() -> ConnectionSettings.read("primary", Map.of("dsn", "host=db password=s3cr3t"), false))
                .withMessageContaining("in key=value form")
                .withMessageNotContaining("s3cr3t");
    }
}
