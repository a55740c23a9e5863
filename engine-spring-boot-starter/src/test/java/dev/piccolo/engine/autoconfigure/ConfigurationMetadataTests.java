package dev.piccolo.engine.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.json.JsonParserFactory;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigurationMetadataTests {

    @Test
    void everyPiccoloPropertyHasADescription() throws IOException {
        List<String> properties = new ArrayList<>();
        List<String> undescribed = new ArrayList<>();
        for (Map<String, Object> property : entries("properties")) {
            String name = (String) property.get("name");
            if (name.startsWith("piccolo.")) {
                properties.add(name);
                Object description = property.get("description");
                if (!(description instanceof String text) || text.isBlank()) {
                    undescribed.add(name);
                }
            }
        }
        assertThat(properties).contains("piccolo.db.config", "piccolo.db.extensions", "piccolo.db.log-queries",
                "piccolo.db.log-responses", "piccolo.db.pool.max-size", "piccolo.db.pool.min-size",
                "piccolo.db.pool.auto-start", "piccolo.db.pool.drain-timeout", "piccolo.db.extra-nodes",
                "piccolo.db.config.host", "piccolo.db.pool.connection-timeout");
        assertThat(undescribed).isEmpty();
    }

    @Test
    void wellKnownConfigKeysHaveHints() throws IOException {
        List<Object> hinted = new ArrayList<>();
        for (Map<String, Object> hint : entries("hints")) {
            if ("piccolo.db.config.keys".equals(hint.get("name"))) {
                ((List<?>) hint.get("values")).forEach(value -> hinted.add(((Map<?, ?>) value).get("value")));
            }
        }
        assertThat(hinted).contains("host", "port", "database", "user", "password", "url", "sslmode");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> entries(String section) throws IOException {
        String resource = "META-INF/spring-configuration-metadata.json";
        try (InputStream json = ConfigurationMetadataTests.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(json).as(resource).isNotNull();
            Map<String, Object> metadata = JsonParserFactory.getJsonParser()
                    .parseMap(new String(json.readAllBytes(), StandardCharsets.UTF_8));
            return (List<Map<String, Object>>) metadata.get(section);
        }
    }
}
