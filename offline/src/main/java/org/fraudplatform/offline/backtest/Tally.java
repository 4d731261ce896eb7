package org.fraudplatform.offline.backtest;

/**
 * Counts of one slice of a back-test: the whole candidate or baseline ruleset, or one rule's hits.
 * A Flink POJO, summed per key.
 */
public class Tally {

    /**
     * {@code candidate}, {@code baseline}, {@code candidate-rule:<name>} or {@code
     * baseline-rule:<name>}.
     */
    public String key;

    public long payments;
    public long approve;
    public long review;
    public long decline;
    public long frauds;

    /** Frauds the decision stopped (review or decline). */
    public long caught;

    /** Genuine payments the decision stopped. */
    public long falsePositives;

    /** Amount of the frauds stopped, minor units. */
    public long amountSaved;

    /** Amount of every fraud, minor units. */
    public long fraudAmount;

    public Tally() {}

    static Tally of(String key, String action, boolean fraud, long amount) {
        Tally t = new Tally();
        t.key = key;
        t.payments = 1;
        boolean stopped = !"APPROVE".equals(action);
        switch (action) {
            case "APPROVE" -> t.approve = 1;
            case "REVIEW" -> t.review = 1;
            default -> t.decline = 1;
        }
        if (fraud) {
            t.frauds = 1;
            t.fraudAmount = amount;
            if (stopped) {
                t.caught = 1;
                t.amountSaved = amount;
            }
        } else if (stopped) {
            t.falsePositives = 1;
        }
        return t;
    }

    static Tally sum(Tally a, Tally b) {
        Tally t = new Tally();
        t.key = a.key;
        t.payments = a.payments + b.payments;
        t.approve = a.approve + b.approve;
        t.review = a.review + b.review;
        t.decline = a.decline + b.decline;
        t.frauds = a.frauds + b.frauds;
        t.caught = a.caught + b.caught;
        t.falsePositives = a.falsePositives + b.falsePositives;
        t.amountSaved = a.amountSaved + b.amountSaved;
        t.fraudAmount = a.fraudAmount + b.fraudAmount;
        return t;
    }

    /** Share of payments sent to review. */
    public double reviewRate() {
        return payments == 0 ? 0 : (double) review / payments;
    }

    /** Share of frauds stopped. */
    public double recall() {
        return frauds == 0 ? 0 : (double) caught / frauds;
    }

    /** Share of stopped payments that were fraud. */
    public double precision() {
        long stopped = review + decline;
        return stopped == 0 ? 0 : (double) caught / stopped;
    }
}
