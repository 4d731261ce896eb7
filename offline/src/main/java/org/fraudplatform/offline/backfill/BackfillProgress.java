package org.fraudplatform.offline.backfill;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters a running backfill reports progress from. They live in this JVM, so they count when the
 * job runs on the local MiniCluster; on a remote cluster the command reports the job's status.
 */
public final class BackfillProgress {

    public static final String LINES = "lines";
    public static final String ROWS = "rows";

    private static final Map<String, AtomicLong> COUNTERS = new ConcurrentHashMap<>();

    private BackfillProgress() {}

    public static void add(String run, String counter, long n) {
        COUNTERS.computeIfAbsent(run + "/" + counter, k -> new AtomicLong()).addAndGet(n);
    }

    public static long get(String run, String counter) {
        AtomicLong c = COUNTERS.get(run + "/" + counter);
        return c == null ? 0 : c.get();
    }

    public static void forget(String run) {
        COUNTERS.keySet().removeIf(k -> k.startsWith(run + "/"));
    }
}
