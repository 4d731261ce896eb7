package org.fraudplatform.models.evaluation;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The handbook's evaluation protocol ("Reproducible Machine Learning for Credit Card Fraud
 * Detection – Practical Handbook"): train on the days {@code trainFrom .. trainTo}, leave {@code
 * gapDays} for the label delay, test on {@code testFrom .. testTo}; all dates inclusive, days in
 * UTC. The gap is stated and checked against the dates ({@code testFrom = trainTo + gapDays + 1})
 * so a typo in one of them cannot shift the test silently.
 *
 * <p>{@link #split} makes the two choices explicit:
 *
 * <ul>
 *   <li><b>Training labels are those known when the model would go live</b>: a training row is
 *       fraud only if its label was known before the start of the test ({@code fraud_known_at <
 *       testFrom 00:00}). With the handbook's 7-day delay and 7-day gap that is every training
 *       fraud, as the book uses; a label that arrives later (a slow chargeback) is withheld and
 *       counted, as it would be in production.
 *   <li><b>Each test day leaves out the cards already known to be compromised</b>: a card with any
 *       fraud label known before that day's start ({@code fraud_known_at < day 00:00}), from any
 *       row read (training, gap or earlier test days). Those cards are blocked in practice, so
 *       scoring them again would flatter the model. The book builds the same set from the training
 *       frauds plus each day's frauds once the delay has passed; here the label times say it
 *       directly. Rows read from before the training window (read the file from earlier than {@link
 *       #dataFrom()}) add their labels too; the book's set starts at the training window.
 * </ul>
 *
 * Test rows keep their true labels ({@code is_fraud}, however late), as the book scores them.
 */
public record Protocol(
        LocalDate trainFrom, LocalDate trainTo, int gapDays, LocalDate testFrom, LocalDate testTo) {

    public Protocol {
        if (trainFrom == null || trainTo == null || testFrom == null || testTo == null) {
            throw new IllegalArgumentException("every date of the protocol is required");
        }
        if (trainTo.isBefore(trainFrom)) {
            throw new IllegalArgumentException(
                    "training ends " + trainTo + " before it starts " + trainFrom);
        }
        if (testTo.isBefore(testFrom)) {
            throw new IllegalArgumentException(
                    "test ends " + testTo + " before it starts " + testFrom);
        }
        if (gapDays < 0) {
            throw new IllegalArgumentException("negative gap: " + gapDays + " days");
        }
        if (!testFrom.equals(trainTo.plusDays(gapDays + 1L))) {
            throw new IllegalArgumentException(
                    "training ends "
                            + trainTo
                            + " and the gap is "
                            + gapDays
                            + " days, so the test starts "
                            + trainTo.plusDays(gapDays + 1L)
                            + ", not "
                            + testFrom);
        }
    }

    /** The book's setting: train 2018-07-25 .. 07-31, a 7-day gap, test 2018-08-08 .. 08-14. */
    public static Protocol handbookDefault() {
        return of(LocalDate.of(2018, 7, 25), 7, 7, 7);
    }

    /** {@code trainDays} of training from {@code trainFrom}, a gap, {@code testDays} of test. */
    public static Protocol of(LocalDate trainFrom, int trainDays, int gapDays, int testDays) {
        if (trainDays < 1 || testDays < 1) {
            throw new IllegalArgumentException("training and test need at least a day each");
        }
        LocalDate trainTo = trainFrom.plusDays(trainDays - 1L);
        LocalDate testFrom = trainTo.plusDays(gapDays + 1L);
        return new Protocol(
                trainFrom, trainTo, gapDays, testFrom, testFrom.plusDays(testDays - 1L));
    }

    /** Start of the rows to read: the training window's first day. */
    public Instant dataFrom() {
        return start(trainFrom);
    }

    /** End (exclusive) of the rows to read: the day after the last test day. */
    public Instant dataTo() {
        return start(testTo.plusDays(1));
    }

    /** Training labels count when known strictly before this instant: the start of the test. */
    public Instant labelCutoff() {
        return start(testFrom);
    }

    /** The test days, in order. */
    public List<LocalDate> testDays() {
        List<LocalDate> days = new ArrayList<>();
        for (LocalDate d = testFrom; !d.isAfter(testTo); d = d.plusDays(1)) {
            days.add(d);
        }
        return days;
    }

    /** One line for titles and logs. */
    public String describe() {
        return "train "
                + trainFrom
                + " .. "
                + trainTo
                + " ("
                + (ChronoUnit.DAYS.between(trainFrom, trainTo) + 1)
                + " days), gap "
                + gapDays
                + " days, test "
                + testFrom
                + " .. "
                + testTo
                + " ("
                + (ChronoUnit.DAYS.between(testFrom, testTo) + 1)
                + " days)";
    }

    /**
     * Splits rows read for this protocol into the training set and the test days (see the class
     * comment for the labels and the exclusions).
     *
     * @throws IllegalArgumentException if {@code data} was not read over {@link #dataFrom()} ..
     *     {@link #dataTo()}
     */
    public Split split(FeatureFile data) {
        if (data.from().isAfter(dataFrom()) || data.to().isBefore(dataTo())) {
            throw new IllegalArgumentException(
                    "the rows were read for ["
                            + data.from()
                            + ", "
                            + data.to()
                            + ") but the protocol needs ["
                            + dataFrom()
                            + ", "
                            + dataTo()
                            + ")");
        }
        List<Splitting.Period> periods = new ArrayList<>();
        for (LocalDate day : testDays()) {
            periods.add(new Splitting.Period(day, start(day), start(day.plusDays(1))));
        }
        return new Split(
                design(),
                data,
                Splitting.training(data, dataFrom(), start(trainTo.plusDays(1)), labelCutoff()),
                Splitting.testPeriods(data, periods));
    }

    /** How this protocol splits, for reports. */
    public SplitDesign design() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("train_from", trainFrom.toString());
        settings.put("train_to", trainTo.toString());
        settings.put("gap_days", Integer.toString(gapDays));
        settings.put("test_from", testFrom.toString());
        settings.put("test_to", testTo.toString());
        settings.put(
                "training_labels",
                "fraud only when fraud_known_at < " + labelCutoff() + " (start of the test)");
        settings.put(
                "test_exclusion",
                "each test day leaves out cards with a fraud label known before the day's start");
        return new SplitDesign(
                "Protocol (handbook)",
                describe(),
                labelCutoff(),
                "labels known before the test starts, " + labelCutoff(),
                settings,
                equals(handbookDefault()));
    }

    private static Instant start(LocalDate day) {
        return day.atStartOfDay().toInstant(ZoneOffset.UTC);
    }
}
