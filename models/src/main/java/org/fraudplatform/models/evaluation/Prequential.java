package org.fraudplatform.models.evaluation;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Prequential validation, as the fraud handbook's model selection chapter does it: several
 * train/validation folds of the same shape as a test {@link Protocol}, rolling back in time from
 * just before it, so that settings are chosen without looking at the test weeks.
 *
 * <p>Fold 0, the newest, is the test protocol moved back by its gap plus its test days: it
 * validates on the days that end with the test's last training day, and it trains on the same
 * number of days before them, with the same gap. Fold {@code k} is fold 0 moved back by {@code k}
 * test windows. With the handbook's weeks (train 07-25..31, gap 7, test 08-08..14) and 4 folds:
 *
 * <pre>
 * fold  train           validate
 * 0     07-11 .. 07-17  07-25 .. 07-31
 * 1     07-04 .. 07-10  07-18 .. 07-24
 * 2     06-27 .. 07-03  07-11 .. 07-17
 * 3     06-20 .. 06-26  07-04 .. 07-10
 * </pre>
 *
 * Every validation day is on or before the test's last training day, and every fold's labels follow
 * the same rule as the test's (known before its validation starts for training; each validation day
 * without the cards already known to be compromised), so no fold uses anything the test protocol
 * does not have when its model goes live.
 *
 * @param test the protocol whose settings are chosen
 * @param folds how many folds, at least 1
 */
public record Prequential(Protocol test, int folds) {

    public Prequential {
        if (test == null) {
            throw new IllegalArgumentException("the test protocol is required");
        }
        if (folds < 1) {
            throw new IllegalArgumentException("at least one fold, not " + folds);
        }
    }

    /** The folds, newest first: fold {@code k} validates {@code k} test windows before fold 0. */
    public List<Protocol> protocols() {
        long testDays = ChronoUnit.DAYS.between(test.testFrom(), test.testTo()) + 1;
        List<Protocol> protocols = new ArrayList<>();
        for (int k = 0; k < folds; k++) {
            long back = test.gapDays() + testDays + k * testDays;
            protocols.add(
                    new Protocol(
                            test.trainFrom().minusDays(back),
                            test.trainTo().minusDays(back),
                            test.gapDays(),
                            test.testFrom().minusDays(back),
                            test.testTo().minusDays(back)));
        }
        return List.copyOf(protocols);
    }
}
