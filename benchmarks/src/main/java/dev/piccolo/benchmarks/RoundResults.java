package dev.piccolo.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What an interleaved run measured: per case and client count, one value per round, in round order. */
final class RoundResults {

    private final Map<Key, List<Double>> values = new LinkedHashMap<>();

    void add(String name, int clients, double value) {
        values.computeIfAbsent(new Key(name, clients), key -> new ArrayList<>()).add(value);
    }

    /**
     * Returns a case's values.
     *
     * @return one value per round, or an empty list when the case did not run at that client count
     */
    List<Double> values(String name, int clients) {
        return values.getOrDefault(new Key(name, clients), List.of());
    }

    boolean has(String name, int clients) {
        return values.containsKey(new Key(name, clients));
    }

    /** Every value, one line each: {@code case,clients,round,value}. */
    String csv(String valueColumn) {
        StringBuilder csv = new StringBuilder("case,clients,round," + valueColumn + "\n");
        values.forEach((key, rounds) -> {
            for (int round = 0; round < rounds.size(); round++) {
                csv.append(String.format(Locale.ROOT, "\"%s\",%d,%d,%.1f%n", key.name(), key.clients(), round + 1,
                        rounds.get(round)));
            }
        });
        return csv.toString();
    }

    private record Key(String name, int clients) {
    }
}
