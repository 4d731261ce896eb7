package org.fraudplatform.models.evaluation;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A chronological holdout, for a history too short for the {@link Protocol}'s weeks (the platform's
 * own history after {@code fraud simulate} spans minutes): the earliest rows by event time train,
 * the latest {@code testFraction} of them test as one period.
 *
 * <p>Training labels are every label in the file, as known when the backfill was written: a model
 * retrained today goes live after all of them. There is no gap, so the test measures a model that
 * knows every label up to its own start; the test period still leaves out the cards already known
 * to be compromised when it starts. Read the whole file ({@link FeatureFile#read} over all time)
 * before splitting.
 */
public record Holdout(double testFraction) {

    public Holdout {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException(
                    "the test fraction must be between 0 and 1 (exclusive), was " + testFraction);
        }
    }

    /**
     * Splits the rows at the event time below which {@code 1 - testFraction} of them lie.
     *
     * @throws IllegalArgumentException when either side would be empty
     */
    public Split split(FeatureFile data) {
        if (data.size() < 2) {
            throw new IllegalArgumentException(
                    "a holdout needs at least two rows, " + data.source() + " has " + data.size());
        }
        long[] times = data.eventTimesMs();
        Arrays.sort(times);
        long cut = times[(int) Math.floor((1 - testFraction) * times.length)];
        long first = times[0];
        long last = times[times.length - 1];
        if (cut == first) {
            throw new IllegalArgumentException(
                    "no rows would train: the earliest "
                            + percent(1 - testFraction)
                            + " of the rows share one event time");
        }
        long labelsKnown = first;
        for (int r = 0; r < data.size(); r++) {
            if (data.fraudLabel(r) == 1) {
                labelsKnown = Math.max(labelsKnown, data.fraudKnownAtMs(r));
            }
        }
        Instant cutoff = Instant.ofEpochMilli(Math.max(labelsKnown, last) + 1);
        Instant start = Instant.ofEpochMilli(cut);
        Instant end = Instant.ofEpochMilli(last + 1);
        TrainingSet training = Splitting.training(data, Instant.ofEpochMilli(first), start, cutoff);
        List<TestDay> test =
                Splitting.testPeriods(
                        data,
                        List.of(
                                new Splitting.Period(
                                        start.atOffset(ZoneOffset.UTC).toLocalDate(), start, end)));
        String description =
                "train "
                        + Instant.ofEpochMilli(first)
                        + " .. "
                        + start
                        + " ("
                        + training.size()
                        + " rows), test "
                        + start
                        + " .. "
                        + end
                        + " (the latest "
                        + percent(testFraction)
                        + ", one period), no gap";
        return new Split(
                new SplitDesign(
                        "Chronological holdout",
                        description,
                        cutoff,
                        "every label in the file, as known when it was written",
                        Map.of(
                                "test_fraction", Double.toString(testFraction),
                                "train_from", Instant.ofEpochMilli(first).toString(),
                                "test_from", start.toString(),
                                "test_to", end.toString(),
                                "training_labels",
                                        "every label in the file (known before " + cutoff + ")",
                                "test_exclusion",
                                        "the test period leaves out cards with a fraud label known"
                                                + " before its start"),
                        false),
                data,
                training,
                test);
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f %%", fraction * 100);
    }
}
