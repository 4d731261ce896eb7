package org.fraudplatform.streams.features;

import java.time.Duration;

/** Short duration names as they appear in feature names: 10m, 1h, 1d, 7d. */
final class Durations {

    private Durations() {}

    static String format(Duration d) {
        long seconds = d.getSeconds();
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3_600 == 0) {
            return seconds / 3_600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }
}
