package org.fraudplatform.models.evaluation;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one way rows become a training set and test periods, whatever chose the windows ({@link
 * Protocol}, {@link Holdout}): training labels are those known before a cut-off, and each test
 * period leaves out the cards already known to be compromised at its start.
 */
final class Splitting {

    /** A test period {@code [start, end)}, reported under {@code day}. */
    record Period(LocalDate day, Instant start, Instant end) {}

    private Splitting() {}

    /**
     * The rows with {@code from <= event_time < to}; a row is fraud when its label was known before
     * {@code labelCutoff}, and a later fraud is held as genuine (and counted).
     */
    static TrainingSet training(FeatureFile data, Instant from, Instant to, Instant labelCutoff) {
        long fromMs = from.toEpochMilli();
        long toMs = to.toEpochMilli();
        long cutoff = labelCutoff.toEpochMilli();
        IntList rows = new IntList();
        IntList labels = new IntList();
        int withheld = 0;
        for (int r = 0; r < data.size(); r++) {
            long t = data.eventTimeMs(r);
            if (t < fromMs || t >= toMs) {
                continue;
            }
            boolean fraud = data.fraudLabel(r) == 1;
            boolean known = fraud && data.fraudKnownAtMs(r) < cutoff;
            if (fraud && !known) {
                withheld++;
            }
            rows.add(r);
            labels.add(known ? 1 : 0);
        }
        return new TrainingSet(data, rows.toArray(), labels.toArray(), withheld);
    }

    /**
     * The rows of each period, in order, minus those of cards with a fraud label known before the
     * period's start (from any row read).
     */
    static List<TestDay> testPeriods(FeatureFile data, List<Period> periods) {
        // fraud rows by the time their label became known, to grow the compromised set
        List<long[]> labelled = new ArrayList<>();
        for (int r = 0; r < data.size(); r++) {
            if (data.fraudLabel(r) == 1) {
                labelled.add(new long[] {data.fraudKnownAtMs(r), r});
            }
        }
        labelled.sort((a, b) -> Long.compare(a[0], b[0]));
        Set<String> compromised = new HashSet<>();
        int next = 0;
        List<TestDay> days = new ArrayList<>();
        for (Period period : periods) {
            long dayStart = period.start().toEpochMilli();
            long dayEnd = period.end().toEpochMilli();
            while (next < labelled.size() && labelled.get(next)[0] < dayStart) {
                compromised.add(data.card((int) labelled.get(next)[1]));
                next++;
            }
            IntList rows = new IntList();
            int excluded = 0;
            for (int r = 0; r < data.size(); r++) {
                long t = data.eventTimeMs(r);
                if (t < dayStart || t >= dayEnd) {
                    continue;
                }
                if (compromised.contains(data.card(r))) {
                    excluded++;
                } else {
                    rows.add(r);
                }
            }
            int[] dayRows = rows.toArray();
            String[] cards = new String[dayRows.length];
            int[] labels = new int[dayRows.length];
            for (int i = 0; i < dayRows.length; i++) {
                cards[i] = data.card(dayRows[i]);
                labels[i] = data.fraudLabel(dayRows[i]);
            }
            days.add(
                    new TestDay(
                            period.day(),
                            dayRows,
                            cards,
                            labels,
                            List.copyOf(new TreeSet<>(compromised)),
                            excluded));
        }
        return List.copyOf(days);
    }

    /** A growable int array, to collect row indices without boxing. */
    private static final class IntList {
        private int[] values = new int[256];
        private int size;

        void add(int value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        int[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
