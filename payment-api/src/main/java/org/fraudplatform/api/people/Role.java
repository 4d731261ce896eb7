package org.fraudplatform.api.people;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a person may do. Analysts work review cases and the block and allow lists; data scientists
 * read cases and decisions (models are theirs, on the command line); administrators may do
 * everything, and manage people.
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
        return this == ANALYST || this == ADMIN;
    }

    public static Optional<Role> of(String label) {
        return Arrays.stream(values()).filter(r -> r.label.equals(label)).findFirst();
    }
}
