package dev.piccolo.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Measures cases in rounds: each round runs every case once at each client count, in an order that is
 * reversed every other round (A B C, C B A, ...). A shared machine that speeds up or slows down during the
 * run then moves every case alike, and ratios taken round by round ({@link Spread#ofRatios}) stay honest.
 */
final class InterleavedRounds {

    private final List<Case> cases;

    InterleavedRounds(List<Case> cases) {
        this.cases = List.copyOf(cases);
    }

    /**
     * Returns the order of a round: as given in even rounds, reversed in odd ones.
     *
     * @param round the round, from 0
     * @param items what each round runs
     * @return the order to run them in
     */
    static <T> List<T> order(int round, List<T> items) {
        List<T> order = new ArrayList<>(items);
        if (round % 2 == 1) {
            Collections.reverse(order);
        }
        return order;
    }

    RoundResults run(int rounds, List<Integer> clientCounts) throws Exception {
        RoundResults results = new RoundResults();
        for (int round = 0; round < rounds; round++) {
            for (int clients : clientCounts) {
                for (Case measured : order(round, cases)) {
                    if (measured.clientCounts().contains(clients)) {
                        double value = measured.throughput().operationsPerSecond(clients);
                        results.add(measured.name(), clients, value);
                        System.out.printf(Locale.ROOT, "round %d/%d, %2d client(s): %-48s %,10.0f ops/s%n", round + 1,
                                rounds, clients, measured.name(), value);
                    }
                }
            }
        }
        return results;
    }

    /** A way of measuring how many statements per second a number of concurrent clients complete. */
    @FunctionalInterface
    interface Throughput {

        double operationsPerSecond(int clients) throws Exception;
    }

    /**
     * One case of the rounds.
     *
     * @param name its name in the results
     * @param throughput how it is measured
     * @param clientCounts the client counts it runs at
     */
    record Case(String name, Throughput throughput, Set<Integer> clientCounts) {
    }
}
