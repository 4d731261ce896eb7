package org.fraudplatform.risk.signing;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many releases a watcher refused since it started, by reason; the platform exposes them as the
 * counter {@code release_refusals_total{release, reason}}.
 */
public final class RefusalCounts {

    private final Map<ReleaseRefusal.Reason, LongAdder> counts =
            new EnumMap<>(ReleaseRefusal.Reason.class);

    public RefusalCounts() {
        for (ReleaseRefusal.Reason r : ReleaseRefusal.Reason.values()) {
            counts.put(r, new LongAdder());
        }
    }

    public void add(ReleaseRefusal.Reason reason) {
        counts.get(reason).increment();
    }

    public long get(ReleaseRefusal.Reason reason) {
        return counts.get(reason).sum();
    }

    public long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }
}
