package org.fraudplatform.offline.backfill;

/**
 * One or more entities' features of one payment; the join merges them. Flink POJO. Features are in
 * catalogue order, NaN where absent.
 */
public class PartRow {

    public String transactionId;
    public long sequence;
    public long timeMillis;
    public long amountMinor;
    public String card;
    public String merchant;
    public String customer;
    public String email;
    public String ip;
    public String device;
    public String country;
    public int expected;
    public int received;
    public double[] features;

    /** The payment's {@link RequestColumns} cells, comma-separated. */
    public String request;

    /** Why an entity refused the payment (later than the grace), or null. */
    public String problem;

    public PartRow() {}
}
