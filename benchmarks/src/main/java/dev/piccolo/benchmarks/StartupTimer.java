package dev.piccolo.benchmarks;

import java.util.Arrays;

import dev.piccolo.engine.PostgresEngine;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;

/**
 * The main class of a start-up measurement, run in a JVM of its own ({@link StartupRounds}): starts a Spring
 * Boot application and reports {@code ready} on its {@code ApplicationReadyEvent}, then how many sessions
 * each server has had so far, then {@code running} once {@code SpringApplication.run} returned (the engine
 * opens its pools on that same event), and closes it.
 */
public final class StartupTimer {

    private StartupTimer() {
    }

    /**
     * Starts the application.
     *
     * @param args the application's class, then its arguments
     * @throws ClassNotFoundException when the class is not on the class path
     */
    public static void main(String[] args) throws ClassNotFoundException {
        SpringApplication application = new SpringApplication(Class.forName(args[0]));
        application.addListeners(new ReadyReporter());
        ConfigurableApplicationContext context = application.run(Arrays.copyOfRange(args, 1, args.length));
        ChildJvm.report("running");
        context.close();
    }

    /** First of the ready event's listeners, so that nothing done on that event (pools opening) is counted. */
    private static final class ReadyReporter implements ApplicationListener<ApplicationReadyEvent>, Ordered {

        @Override
        public void onApplicationEvent(ApplicationReadyEvent event) {
            ChildJvm.report("ready");
            ChildJvm.report("sessions " + BenchmarkCluster.sessions(PostgresEngine.PRIMARY) + " "
                    + BenchmarkCluster.sessions("read_replica_1"));
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }
    }
}
