package dev.piccolo.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * The median of a case's values over the rounds of a run, with the lowest and the highest: the figure a
 * shared machine can support, and how far one round may stray from it.
 *
 * @param median the middle value (the mean of the two middle ones for an even count)
 * @param min the lowest value
 * @param max the highest value
 */
record Spread(double median, double min, double max) {

    static Spread of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("No values");
        }
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        double median = sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
        return new Spread(median, sorted.get(0), sorted.get(sorted.size() - 1));
    }

    /**
     * The spread of {@code ours / baseline} taken round by round, so that what drifted during the run
     * (both measured minutes apart at most) divides out.
     *
     * @param ours our values, one per round
     * @param baseline the baseline's values of the same rounds
     * @return the spread of the per-round ratios
     */
    static Spread ofRatios(List<Double> ours, List<Double> baseline) {
        if (ours.size() != baseline.size()) {
            throw new IllegalArgumentException(ours.size() + " rounds against " + baseline.size());
        }
        List<Double> ratios = new ArrayList<>();
        for (int round = 0; round < ours.size(); round++) {
            ratios.add(ours.get(round) / baseline.get(round));
        }
        return of(ratios);
    }
}
