package org.fraudplatform.workers.notifications;

import java.util.Locale;

/** How a customer is reached. */
public enum Channel {
    EMAIL,
    SMS,
    PUSH;

    /** The recipient of this channel in {@code c}, or null when it has none. */
    public String recipient(Contact c) {
        return switch (this) {
            case EMAIL -> c.email();
            case SMS -> c.phone();
            case PUSH -> c.deviceId();
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
