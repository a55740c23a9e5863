package dev.piccolo.ecosystem.virtualthreads;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

import dev.piccolo.ecosystem.Applications;
import dev.piccolo.ecosystem.NodePorts;
import dev.piccolo.ecosystem.dropin.DropInApplication;
import dev.piccolo.engine.test.PostgresCluster;
import dev.piccolo.engine.test.PostgresClusterExtension;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.task.AsyncTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many concurrent {@code @UseNode} calls on virtual threads ({@code spring.threads.virtual.enabled});
 * JFR's {@code jdk.VirtualThreadPinned} events (what {@code -Djdk.tracePinnedThreads} reported before
 * JDK 24) must show no pinning in our code. The build runs this class on JDK 25 when it is installed.
 */
@ExtendWith(PostgresClusterExtension.class)
@EnabledForJreRange(min = JRE.JAVA_21)
class VirtualThreadsTests {

    private static final int CALLS = 400;

    @Test
    void concurrentUseNodeCallsOnVirtualThreadsRouteCorrectlyWithoutPinningInOurCode(PostgresCluster cluster)
            throws Exception {
        Path events = Files.createTempFile("piccolo-pinning", ".jfr");
        try (ConfigurableApplicationContext context = Applications.run(DropInApplication.class, cluster,
                "spring.threads.virtual.enabled=true", "piccolo.db.pool.max-size=8");
                Recording recording = new Recording()) {
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
            recording.start();
            NodePorts reads = context.getBean(NodePorts.class);
            AsyncTaskExecutor executor = context.getBean("applicationTaskExecutor", AsyncTaskExecutor.class);

            List<Future<String>> calls = new ArrayList<>();
            for (int call = 0; call < CALLS; call++) {
                boolean replica = call % 2 == 0;
                calls.add(executor.submit(() -> Thread.currentThread().toString().startsWith("VirtualThread") + ":"
                        + (replica ? reads.replicaPort() : reads.primaryPort())));
            }
            for (int call = 0; call < CALLS; call++) {
                int expected = call % 2 == 0 ? cluster.replica(1).port() : cluster.primary().port();
                assertThat(calls.get(call).get()).isEqualTo("true:" + expected);
            }
            recording.stop();
            recording.dump(events);
        }
        List<RecordedEvent> pinned = RecordingFile.readAllEvents(events);
        Files.delete(events);
        List<String> pinnedInOurCode = pinned.stream().filter(VirtualThreadsTests::pinnedInOurCode)
                .map(RecordedEvent::toString).toList();
        System.out.printf("%d virtual-thread pinning event(s) in %d calls, %d in the engine's code; where: %s%n",
                pinned.size(), CALLS, pinnedInOurCode.size(), pinned.stream().map(VirtualThreadsTests::pinnedAt)
                        .distinct().toList());
        assertThat(pinnedInOurCode).isEmpty();
    }

    /** Pinning happens in the first frame outside the JDK; the frames below it only led there. */
    private static boolean pinnedInOurCode(RecordedEvent event) {
        return pinnedAt(event).startsWith("dev.piccolo.engine");
    }

    private static String pinnedAt(RecordedEvent event) {
        if (event.getStackTrace() == null) {
            return "unknown";
        }
        return event.getStackTrace().getFrames().stream()
                .map(frame -> frame.getMethod().getType().getName() + "." + frame.getMethod().getName())
                .filter(method -> !method.startsWith("java.") && !method.startsWith("jdk.")
                        && !method.startsWith("sun."))
                .findFirst()
                .orElse("the JDK");
    }
}
