package org.fraudplatform.platform;

/** Which parts of the platform one process runs. */
public enum Role {
    /** Everything: the embedded default. */
    ALL,
    /** The HTTP API (with the simulated provider). */
    API,
    /** The risk topology. */
    RISK;

    boolean runsApi() {
        return this == ALL || this == API;
    }

    boolean runsRisk() {
        return this == ALL || this == RISK;
    }

    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
