package org.fraudplatform.features;

import java.time.Duration;

/** Short duration names as they appear in feature names: 10m, 1h, 1d, 7d, 30d5m. */
public final class Durations {

    private static final long[] UNITS = {86_400, 3_600, 60, 1};
    private static final String[] NAMES = {"d", "h", "m", "s"};

    private Durations() {}

    public static String format(Duration d) {
        long seconds = d.getSeconds();
        if (seconds == 0) {
            return "0s";
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < UNITS.length; i++) {
            if (seconds >= UNITS[i]) {
                s.append(seconds / UNITS[i]).append(NAMES[i]);
                seconds %= UNITS[i];
            }
        }
        return s.toString();
    }
}
