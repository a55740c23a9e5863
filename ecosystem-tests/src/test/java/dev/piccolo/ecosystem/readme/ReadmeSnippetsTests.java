package dev.piccolo.ecosystem.readme;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.piccolo.ecosystem.Applications;
import dev.piccolo.engine.NodeConfig;
import dev.piccolo.engine.NodeContext;
import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.autoconfigure.PiccoloDbProperties;
import dev.piccolo.engine.test.ClusterNode;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGProperty;

import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Java and YAML snippet of README.md is a compiled, run example, so README cannot drift from the code:
 * each Java snippet is a tagged region ({@code // tag::name[]} … {@code // end::name[]}) of a test source of
 * this module, compiled with the tests and run by them; each YAML snippet is a file of {@code readme/} that binds
 * onto {@code piccolo.db.*} with no key left over, and the quick start's runs as an application's whole
 * configuration.
 */
@ExtendWith(PostgresClusterExtension.class)
class ReadmeSnippetsTests {

    private static final Path README = Path.of("..", "README.md");

    private static final Path SOURCES = Path.of("src/test/java");

    private static final Path YAML = Path.of("src/test/resources/readme");

    /** The {@code config} keys the engine reads itself; every other one goes to PgJDBC. */
    private static final Set<String> ENGINE_CONFIG_KEYS = Set.of("host", "port", "database", "user", "password", "url",
            "dsn");

    /** A fenced block, maybe indented inside a list item: its indent, language and text. */
    private static final Pattern FENCE = Pattern.compile("^([ \\t]*)```(java|yaml)\\n(.*?)^\\1```",
            Pattern.DOTALL | Pattern.MULTILINE);

    private static final Pattern REGION = Pattern.compile(
            "// tag::([\\w-]+)\\[]\\n(.*?)\\n[ \\t]*// end::\\1\\[]", Pattern.DOTALL);

    @Test
    void everyJavaSnippetIsARegionOfASourceHereAndEveryRegionIsInReadme() throws IOException {
        Map<String, String> regions = regions();
        List<String> snippets = snippets("java");

        assertThat(snippets).isNotEmpty();
        assertThat(regions.values()).as("tagged regions of %s", SOURCES).containsAll(snippets);
        assertThat(snippets).as("README's Java snippets").containsAll(regions.values());
    }

    @Test
    void everyYamlSnippetIsAFileHereThatBindsOntoThePiccoloProperties() throws IOException {
        List<String> snippets = snippets("yaml");
        Map<String, String> files = new LinkedHashMap<>();
        try (Stream<Path> paths = Files.list(YAML)) {
            for (Path path : paths.filter(path -> path.toString().endsWith(".yml")).toList()) {
                files.put(path.getFileName().toString(), Files.readString(path));
            }
        }

        assertThat(snippets).isNotEmpty();
        assertThat(files.values()).as("YAML files of %s", YAML).containsAll(snippets);
        assertThat(snippets).as("README's YAML snippets").containsAll(files.values());
        for (String file : files.keySet()) {
            List<PropertySource<?>> sources = new YamlPropertySourceLoader().load(file,
                    new FileSystemResource(YAML.resolve(file)));
            Binder binder = new Binder(ConfigurationPropertySources.from(sources));
            PiccoloDbProperties properties = binder.bind(PiccoloDbProperties.PREFIX,
                    Bindable.of(PiccoloDbProperties.class), new NoUnboundElementsBindHandler(BindHandler.DEFAULT)).get();
            // Keys under config bind into a map whatever they are: each must be one the driver or the engine reads.
            List<Map<String, String>> configs = new ArrayList<>(List.of(properties.getConfig()));
            properties.getExtraNodes().values().forEach(node -> configs.add(node.getConfig()));
            configs.forEach(config -> assertThat(config.keySet()).as(file).allMatch(
                    key -> ENGINE_CONFIG_KEYS.contains(key) || PGProperty.forName(key) != null));
        }
    }

    @Test
    void everyFenceHasALanguageThisTestKnowsAndTheDependencyIsTheBuildsVersion() throws IOException {
        String readme = Files.readString(README);
        Matcher opening = Pattern.compile("^[ \\t]*```(\\S*)", Pattern.MULTILINE).matcher(readme);
        List<String> languages = new ArrayList<>();
        while (opening.find()) {
            languages.add(opening.group(1));
        }
        String version = Pattern.compile("<artifactId>piccolo-engine-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Path.of("..", "pom.xml"))).results().findFirst().orElseThrow().group(1);

        assertThat(languages).as("fence languages (closing fences have none)").isSubsetOf("", "java", "yaml", "bash",
                "xml");
        assertThat(readme).contains("<artifactId>piccolo-engine-spring-boot-starter</artifactId>\n    <version>"
                + version + "</version>");
    }

    @Test
    void theQuickStartRunsItsWritesOnThePrimaryAndItsAnnotatedReadsOnTheReplica(PostgresCluster cluster)
            throws Exception {
        ClusterNode primary = cluster.primary();
        ClusterNode replica = cluster.replica(1);
        // The quick start's file as the whole configuration; only where the servers are comes from the cluster.
        try (ConfigurableApplicationContext context = Applications.runWith(QuickStartApplication.class,
                "spring.config.location=classpath:readme/quick-start.yml",
                "piccolo.db.config.host=" + primary.host(), "piccolo.db.config.port=" + primary.port(),
                "piccolo.db.config.database=" + primary.database(), "piccolo.db.config.user=" + primary.user(),
                "piccolo.db.config.password=" + primary.password(),
                "piccolo.db.extra-nodes.read_replica_1.config.host=" + replica.host(),
                "piccolo.db.extra-nodes.read_replica_1.config.port=" + replica.port(),
                "spring.sql.init.mode=always", "spring.sql.init.schema-locations=classpath:readme/schema.sql",
                // The module's application.properties is not read: its migration tools stay off all the same.
                "spring.flyway.enabled=false", "spring.liquibase.enabled=false")) {
            ItemService items = context.getBean(ItemService.class);
            items.create("replayed");
            cluster.awaitReplication();

            Applications.withReplayPaused(cluster, replica.name(), () -> {
                items.create("not replayed yet");

                assertThat(items.list()).contains("replayed").doesNotContain("not replayed yet");
            });
        }
    }

    @Test
    void thePlainJavaExampleReadsOnTheReplica(PostgresCluster cluster) throws Exception {
        String application = PostgresCluster.newApplicationName();

        assertThat(PlainJava.readOnTheReplica(cluster.primary().config(application),
                cluster.replica(1).config(application))).isTrue();
        cluster.awaitConnectionCount("primary", application, 0);
        cluster.awaitConnectionCount("read_replica_1", application, 0);
    }

    @Test
    void aTokenSentWithAMessageLetsItsConsumerSeeTheWriteOnAReplicaThatHasNotReplayedIt(PostgresCluster cluster)
            throws Exception {
        try (Connection connection = cluster.connect("primary"); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS readme_order (id text)");
        }
        cluster.awaitReplication();
        String application = PostgresCluster.newApplicationName();
        try (PostgresEngine engine = PostgresEngine.builder(NodeConfig.builder()
                        .config(cluster.primary().config(application)).extensions().build())
                .extraNode("read_replica_1", NodeConfig.builder().config(cluster.replica(1).config(application)).build())
                .readYourWrites(Duration.ofMillis(50)).build().start()) {
            JdbcTemplate jdbc = new JdbcTemplate(engine.getDataSource());
            BlockingQueue<MessagingExample.Message> queue = new LinkedBlockingQueue<>();
            List<Integer> seenOnTheReplicaRoute = new CopyOnWriteArrayList<>();
            MessagingExample example = new MessagingExample(engine, queue, order -> {
                try (NodeContext.Scope scope = engine.nodeContext().bind("read_replica_1")) {
                    seenOnTheReplicaRoute.add(jdbc.queryForObject("SELECT count(*) FROM readme_order WHERE id = ?",
                            Integer.class, order));
                }
            });

            // The consumer on a thread of its own: on the producer's thread, the thread's own session would see it.
            ExecutorService consumerThread = Executors.newSingleThreadExecutor();
            try {
                Applications.withReplayPaused(cluster, "read_replica_1", () -> {
                    example.send("with its token");
                    MessagingExample.Message withToken = queue.take();
                    consumerThread.submit(() -> example.on(withToken)).get();
                    example.send("without a token");
                    MessagingExample.Message sent = queue.take();
                    consumerThread.submit(() -> example.on(new MessagingExample.Message(sent.order(), Map.of())))
                            .get();
                });
            }
            finally {
                consumerThread.shutdown();
            }

            assertThat(seenOnTheReplicaRoute).as("with the token, without it (the replica has not replayed)")
                    .containsExactly(1, 0);
        }
    }

    private static List<String> snippets(String language) throws IOException {
        List<String> snippets = new ArrayList<>();
        Matcher fence = FENCE.matcher(Files.readString(README));
        while (fence.find()) {
            if (fence.group(2).equals(language)) {
                snippets.add(dedent(fence.group(3), fence.group(1).length()) + "\n");
            }
        }
        return snippets;
    }

    /** Each tagged region, dedented by its first text line's indent, ending in a newline as a fenced block does. */
    private static Map<String, String> regions() throws IOException {
        Map<String, String> regions = new LinkedHashMap<>();
        try (Stream<Path> paths = Files.walk(SOURCES)) {
            for (Path path : paths.filter(path -> path.toString().endsWith(".java")).toList()) {
                Matcher region = REGION.matcher(Files.readString(path));
                while (region.find()) {
                    assertThat(regions).as("tag %s in %s, used before", region.group(1), path)
                            .doesNotContainKey(region.group(1));
                    String text = region.group(2);
                    String first = text.lines().filter(line -> !line.isBlank()).findFirst().orElse("");
                    regions.put(region.group(1), dedent(text, first.length() - first.stripLeading().length())
                            + "\n");
                }
            }
        }
        return regions;
    }

    /** Removes {@code indent} columns of leading blanks from every line; a blank line stays empty. */
    private static String dedent(String text, int indent) {
        return String.join("\n", text.lines()
                .map(line -> line.length() >= indent && line.substring(0, indent).isBlank() ? line.substring(indent)
                        : line.stripLeading())
                .toList());
    }
}
