package org.fraudplatform.platform.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.fraudplatform.models.evaluation.FeatureFile;
import org.fraudplatform.models.evaluation.Holdout;
import org.fraudplatform.models.evaluation.Prequential;
import org.fraudplatform.models.evaluation.Protocol;
import org.fraudplatform.models.evaluation.Split;
import picocli.CommandLine.Option;

/**
 * The feature backfill to train or evaluate on and how to split it: the handbook's protocol (a
 * training window, a label-delay gap, a test window; the default) or, for a history of hours rather
 * than weeks, a chronological holdout.
 */
final class SplitOptions {

    static final String HANDBOOK_TRAIN = "2018-07-25..2018-07-31";
    static final String HANDBOOK_TEST = "2018-08-08..2018-08-14";

    @Option(
            names = "--features",
            required = true,
            description =
                    "A feature backfill: its folder (with features.csv and catalogue-hash.txt) or"
                            + " its features.csv.")
    Path features;

    @Option(
            names = "--train",
            description = "Training days, FROM..TO inclusive (UTC). Default: " + HANDBOOK_TRAIN)
    String train;

    @Option(
            names = "--test",
            description =
                    "Test days, FROM..TO inclusive; the days between the windows are the label"
                            + " delay gap. Default: "
                            + HANDBOOK_TEST)
    String test;

    @Option(
            names = "--holdout",
            paramLabel = "FRACTION",
            description =
                    "Instead of --train/--test: train on the earliest rows of the whole file and"
                            + " test on the latest FRACTION of them (e.g. 0.3), with every label"
                            + " in the file. For a history of hours, such as the platform's own"
                            + " after 'fraud simulate'.")
    Double holdout;

    /** The backfill's {@code features.csv}. */
    Path csv() {
        return Files.isDirectory(features) ? features.resolve("features.csv") : features;
    }

    /** The catalogue hash the backfill recorded next to its features. */
    String catalogueHash() throws IOException {
        Path hashFile = csv().resolveSibling("catalogue-hash.txt");
        if (!Files.isReadable(hashFile)) {
            throw new IllegalArgumentException(
                    hashFile + " is missing: use the output folder of 'fraud features backfill'");
        }
        return Files.readString(hashFile).trim();
    }

    /**
     * The validation split before {@code split}, on which a calibration is fitted, never on the
     * test rows: the protocol moved back by its test window (train and test one test-window
     * earlier, the same gap: the test weeks are after all of it), or for a holdout the same holdout
     * of the rows before the test period.
     *
     * @return the validation split, or null with the reason printed when it has nothing to train or
     *     validate on
     */
    Split validation(Split split, PrintWriter log) throws IOException {
        Path csv = csv();
        FeatureFile data;
        Split validation;
        try {
            if (holdout != null) {
                long testStart = Long.MAX_VALUE;
                for (int r : split.testRows()) {
                    testStart = Math.min(testStart, split.data().eventTimeMs(r));
                }
                data = FeatureFile.read(csv, Instant.EPOCH, Instant.ofEpochMilli(testStart));
                validation = new Holdout(holdout).split(data);
            } else {
                Protocol p = protocol();
                int shift = (int) ChronoUnit.DAYS.between(p.testFrom(), p.testTo()) + 1;
                Protocol earlier =
                        new Protocol(
                                p.trainFrom().minusDays(shift),
                                p.trainTo().minusDays(shift),
                                p.gapDays(),
                                p.testFrom().minusDays(shift),
                                p.testTo().minusDays(shift));
                data = FeatureFile.read(csv, earlier.dataFrom(), earlier.dataTo());
                validation = earlier.split(data);
            }
        } catch (IllegalArgumentException e) {
            log.printf("No validation period for the calibration: %s%n", e.getMessage());
            return null;
        }
        if (validation.training().size() == 0
                || validation.training().frauds() == 0
                || validation.testSize() == 0) {
            log.printf(
                    "No validation period for the calibration: %s has %,d training rows (%,d"
                            + " fraud) and %,d validation rows%n",
                    validation.design().description(),
                    validation.training().size(),
                    validation.training().frauds(),
                    validation.testSize());
            return null;
        }
        log.printf(
                "Validation for the calibration: %s (%,d training rows, %,d validation rows)%n",
                validation.design().description(),
                validation.training().size(),
                validation.testSize());
        log.flush();
        return validation;
    }

    /**
     * The folds of a prequential validation before the test protocol ({@link Prequential}), newest
     * first, each read and split as the test is.
     *
     * @throws IllegalArgumentException with --holdout, or when a fold has nothing to train or
     *     validate on
     */
    List<Split> prequential(int folds, PrintWriter log) throws IOException {
        if (holdout != null) {
            throw new IllegalArgumentException(
                    "the prequential search needs --train/--test windows, not --holdout");
        }
        List<Split> splits = new ArrayList<>();
        int k = 0;
        for (Protocol p : new Prequential(protocol(), folds).protocols()) {
            k++;
            FeatureFile data = FeatureFile.read(csv(), p.dataFrom(), p.dataTo());
            Split fold = p.split(data);
            if (fold.training().frauds() == 0 || fold.testSize() == 0) {
                throw new IllegalArgumentException(
                        "search fold "
                                + k
                                + " ("
                                + p.describe()
                                + ") has "
                                + fold.training().frauds()
                                + " training frauds and "
                                + fold.testSize()
                                + " validation rows: use fewer folds or a later test window");
            }
            log.printf(
                    "Search fold %d: %s (%,d training rows, %,d fraud; %,d validation rows)%n",
                    k,
                    p.describe(),
                    fold.training().size(),
                    fold.training().frauds(),
                    fold.testSize());
            log.flush();
            splits.add(fold);
        }
        return splits;
    }

    private Protocol protocol() {
        LocalDate[] trainDays = days(train == null ? HANDBOOK_TRAIN : train, "--train");
        LocalDate[] testDays = days(test == null ? HANDBOOK_TEST : test, "--test");
        int gap = (int) ChronoUnit.DAYS.between(trainDays[1], testDays[0]) - 1;
        return new Protocol(trainDays[0], trainDays[1], gap, testDays[0], testDays[1]);
    }

    /** Reads the rows the split needs and splits them, reporting progress to {@code log}. */
    Split split(PrintWriter log) throws IOException {
        Path csv = csv();
        if (!Files.isReadable(csv)) {
            throw new IllegalArgumentException("cannot read " + csv);
        }
        long started = System.nanoTime();
        FeatureFile data;
        Split split;
        if (holdout != null) {
            if (train != null || test != null) {
                throw new IllegalArgumentException(
                        "--holdout splits the whole file: leave out --train and --test");
            }
            Holdout h = new Holdout(holdout);
            data = FeatureFile.read(csv, Instant.EPOCH, Instant.parse("9999-01-01T00:00:00Z"));
            split = h.split(data);
        } else {
            Protocol protocol = protocol();
            data = FeatureFile.read(csv, protocol.dataFrom(), protocol.dataTo());
            split = protocol.split(data);
        }
        log.printf("%s: %s%n", split.design().name(), split.design().description());
        log.printf(
                "Read %,d rows of %,d lines in %.1f s: training %,d rows (%,d fraud), test %,d"
                        + " rows over %d period(s)%n",
                data.size(),
                data.linesRead(),
                (System.nanoTime() - started) / 1e9,
                split.training().size(),
                split.training().frauds(),
                split.testSize(),
                split.testDays().size());
        log.flush();
        if (split.training().size() == 0 || split.testSize() == 0) {
            throw new IllegalArgumentException(
                    "nothing to "
                            + (split.training().size() == 0 ? "train on" : "test on")
                            + " in "
                            + csv
                            + " with this split: check the dates against the file");
        }
        return split;
    }

    private static LocalDate[] days(String range, String option) {
        String[] parts = range.split("\\.\\.");
        if (parts.length != 2) {
            throw new IllegalArgumentException(option + " must be FROM..TO, was " + range);
        }
        try {
            return new LocalDate[] {
                LocalDate.parse(parts[0].trim()), LocalDate.parse(parts[1].trim())
            };
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage());
        }
    }
}
