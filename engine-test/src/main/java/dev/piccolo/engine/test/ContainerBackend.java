package dev.piccolo.engine.test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.ExecConfig;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Runs the cluster in Docker through Testcontainers: a primary container and one container per
 * replica on a private network, each replica made with {@code pg_basebackup -R} from the primary.
 *
 * <p>Every container publishes PostgreSQL on a fixed loopback port chosen when it is created, so a
 * node keeps its port when {@link #stop} and {@link #start} stop and start its container.
 */
final class ContainerBackend implements ClusterBackend {

    /** System property that chooses the image; the default is {@value #DEFAULT_IMAGE}. */
    static final String IMAGE_PROPERTY = "piccolo.cluster.image";

    static final String DEFAULT_IMAGE = "postgres:17";

    private static final int POSTGRES_PORT = 5432;

    private static final String PRIMARY_ALIAS = "primary";

    private static final String[] SERVER_SETTINGS = { "postgres", "-c", "wal_level=replica", "-c", "max_wal_senders=10",
            "-c", "wal_keep_size=128MB", "-c", "hot_standby=on", "-c", "max_connections=300", "-c", "fsync=off", "-c",
            "full_page_writes=off" };

    private final Network network = Network.newNetwork();

    private final Map<String, GenericContainer<?>> containers = new LinkedHashMap<>();

    @Override
    public List<ClusterNode> startCluster(int replicas, ClusterCredentials credentials) {
        DockerImageName image = DockerImageName.parse(System.getProperty(IMAGE_PROPERTY, DEFAULT_IMAGE))
                .asCompatibleSubstituteFor("postgres");
        List<ClusterNode> nodes = new ArrayList<>();
        try {
            nodes.add(startContainer(ClusterNode.PRIMARY, primary(image, credentials), credentials));
            for (int index = 1; index <= replicas; index++) {
                String name = ClusterNode.replicaName(index);
                nodes.add(startContainer(name, replica(image, name, credentials), credentials));
            }
            return nodes;
        }
        catch (RuntimeException ex) {
            close();
            throw ex;
        }
    }

    private ClusterNode startContainer(String name, GenericContainer<?> container, ClusterCredentials credentials) {
        int hostPort = LoopbackPorts.free();
        container.withNetwork(network)
                .withExposedPorts(POSTGRES_PORT)
                .withCreateContainerCmdModifier(command -> publishOnLoopback(command, hostPort));
        containers.put(name, container);
        container.start();
        return new ClusterNode(name, LoopbackPorts.LOOPBACK, hostPort, credentials.database(), credentials.user(),
                credentials.password());
    }

    private static PostgreSQLContainer primary(DockerImageName image, ClusterCredentials credentials) {
        PostgreSQLContainer container = new PostgreSQLContainer(image);
        container.withUsername(credentials.user())
                .withPassword(credentials.password())
                .withDatabaseName(credentials.database())
                .withNetworkAliases(PRIMARY_ALIAS)
                .withCopyToContainer(Transferable.of(
                        "echo 'host replication all all scram-sha-256' >> \"$PGDATA/pg_hba.conf\"\n"),
                        "/docker-entrypoint-initdb.d/allow-replication.sh")
                .withCommand(SERVER_SETTINGS);
        return container;
    }

    private static GenericContainer<?> replica(DockerImageName image, String name, ClusterCredentials credentials) {
        String conninfo = "host=" + PRIMARY_ALIAS + " port=" + POSTGRES_PORT + " user=" + credentials.user()
                + " password=" + credentials.password() + " application_name=" + name;
        // The entrypoint clones the primary once; a restarted container finds PG_VERSION and only starts the server.
        String entrypoint = "if [ ! -s \"$PGDATA/PG_VERSION\" ]; then\n"
                + "  until pg_basebackup --pgdata=\"$PGDATA\" --dbname='" + conninfo + "' --write-recovery-conf"
                + " --checkpoint=fast --wal-method=stream; do sleep 1; done\n"
                + "  echo \"primary_conninfo = '" + conninfo + "'\" >> \"$PGDATA/postgresql.auto.conf\"\n"
                + "  chmod 700 \"$PGDATA\"\n"
                + "fi\n"
                + "exec " + String.join(" ", SERVER_SETTINGS) + "\n";
        GenericContainer<?> container = new GenericContainer<>(image);
        container.withCreateContainerCmdModifier(command -> command.withUser("postgres").withEntrypoint("sh", "-c",
                        entrypoint))
                .waitingFor(Wait.forLogMessage(".*database system is ready to accept read-only connections.*\\n", 1));
        return container;
    }

    private static void publishOnLoopback(CreateContainerCmd command, int hostPort) {
        command.getHostConfig().withPortBindings(new PortBinding(Ports.Binding.bindIpAndPort(LoopbackPorts.LOOPBACK, hostPort),
                ExposedPort.tcp(POSTGRES_PORT)));
    }

    @Override
    public void stop(String node) {
        DockerClientFactory.instance().client().stopContainerCmd(container(node).getContainerId()).exec();
    }

    @Override
    public void start(String node) {
        DockerClientFactory.instance().client().startContainerCmd(container(node).getContainerId()).exec();
    }

    /** The image's programs run inside its containers, not on this machine. */
    @Override
    public Optional<Path> clientProgram(String program) {
        return Optional.empty();
    }

    @Override
    public String createSelfSignedCertificate(String node) {
        String folder = "/var/lib/postgresql";
        try {
            var result = container(node).execInContainer(ExecConfig.builder().user("postgres").command(new String[] {
                    "sh", "-c", "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -keyout "
                            + folder + "/server.key -out " + folder + "/server.crt && chmod 600 " + folder
                            + "/server.key" }).build());
            if (result.getExitCode() != 0) {
                throw new IllegalStateException("Cannot create a certificate in " + node + ": " + result.getStderr());
            }
        }
        catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException("Cannot create a certificate in " + node, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating a certificate in " + node, ex);
        }
        return folder;
    }

    private GenericContainer<?> container(String node) {
        GenericContainer<?> container = containers.get(node);
        if (container == null) {
            throw new IllegalArgumentException("No node '" + node + "' in this cluster; nodes: " + containers.keySet());
        }
        return container;
    }

    @Override
    public void close() {
        containers.values().forEach(GenericContainer::stop);
        containers.clear();
        network.close();
    }

}
