package dev.piccolo.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine's packages use no Spring type, so plain-Java users need none of Spring on their class
 * path; only {@code dev.piccolo.engine.spring}, the optional integration, may.
 */
class EngineIsPlainJavaTests {

    private static final Path SOURCES = Path.of("src/main/java/dev/piccolo/engine");

    @Test
    void noSourceOutsideTheSpringPackageImportsSpring() throws IOException {
        List<String> offending;
        try (Stream<Path> files = Files.walk(SOURCES)) {
            offending = files.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> !SOURCES.relativize(file).startsWith("spring"))
                    .filter(EngineIsPlainJavaTests::importsSpring)
                    .map(Path::toString)
                    .toList();
        }
        assertThat(offending).isEmpty();
        assertThat(SOURCES.resolve("PostgresEngine.java")).exists();
    }

    private static boolean importsSpring(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.anyMatch(line -> line.startsWith("import org.springframework.")
                    || line.startsWith("import org.aopalliance."));
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot read " + file, ex);
        }
    }
}
