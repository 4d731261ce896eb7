package org.fraudplatform.platform;

/** Which parts of the platform one process runs. */
public enum Role {
    /** Everything: the embedded default. */
    ALL,
    /** The HTTP API (with the simulated provider). */
    API,
    /** The risk topology. */
    RISK,
    /** The ledger topology (exactly-once). */
    LEDGER,
    /** The reconciliation topology (exactly-once) and the settlement drop folder. */
    RECONCILIATION,
    /**
     * The read models: the payment history, the console's decisions, links and labels, the
     * reconciliation items and the audit trail, projected from their topics into PostgreSQL.
     */
    HISTORY;

    boolean runsApi() {
        return this == ALL || this == API;
    }

    boolean runsRisk() {
        return this == ALL || this == RISK;
    }

    boolean runsLedger() {
        return this == ALL || this == LEDGER;
    }

    boolean runsReconciliation() {
        return this == ALL || this == RECONCILIATION;
    }

    boolean runsHistory() {
        return this == ALL || this == HISTORY;
    }

    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
