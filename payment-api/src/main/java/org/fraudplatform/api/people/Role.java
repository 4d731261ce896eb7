package org.fraudplatform.api.people;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a person may do ({@link #may}). Analysts work review cases, the block and allow lists, the
 * rules and reconciliation exceptions; data scientists release models and read cases and decisions;
 * administrators may do everything, and alone manage merchants, keys and people, relay provider
 * notices and read the audit trail.
 */
public enum Role {
    ANALYST("analyst"),
    DATA_SCIENTIST("data-scientist"),
    ADMIN("admin");

    private final String label;

    Role(String label) {
        this.label = label;
    }

    /** As written in the database and on the command line: analyst, data-scientist, admin. */
    public String label() {
        return label;
    }

    /** Whether this role may approve or reject a review and change the lists. */
    public boolean worksCases() {
        return may(Permission.REVIEWS);
    }

    /** Whether this role grants the permission. */
    public boolean may(Permission permission) {
        return switch (this) {
            case ADMIN -> true;
            case ANALYST ->
                    switch (permission) {
                        case REVIEWS, LISTS, RULES, RECONCILIATION -> true;
                        default -> false;
                    };
            case DATA_SCIENTIST -> permission == Permission.MODELS;
        };
    }

    public static Optional<Role> of(String label) {
        return Arrays.stream(values()).filter(r -> r.label.equals(label)).findFirst();
    }
}
