package org.fraudplatform.dev.simulate;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Running counts of a simulation, updated by the worker threads and printed once a second: where
 * the traffic is, and what the platform has answered so far.
 */
final class Progress {

    final AtomicInteger sent = new AtomicInteger();
    final AtomicInteger authorized = new AtomicInteger();
    final AtomicInteger declined = new AtomicInteger();
    final AtomicInteger review = new AtomicInteger();
    final AtomicInteger pending = new AtomicInteger();
    final AtomicInteger errors = new AtomicInteger();
    final AtomicInteger captured = new AtomicInteger();
    final AtomicInteger phaseDone = new AtomicInteger();

    private final int payments;
    private volatile String phase = "traffic";
    private volatile int phaseTotal;
    private volatile long phaseStart = System.nanoTime();

    Progress(int payments) {
        this.payments = payments;
        this.phaseTotal = payments;
    }

    /** Starts counting another phase of {@code total} requests. */
    void phase(String name, int total) {
        phaseDone.set(0);
        phaseTotal = total;
        phaseStart = System.nanoTime();
        phase = name;
    }

    /** Counts the answer to an authorization. */
    void answered(Outcome outcome) {
        switch (outcome) {
            case APPROVED -> authorized.incrementAndGet();
            case DECLINED -> declined.incrementAndGet();
            case REVIEW -> review.incrementAndGet();
            case PENDING -> pending.incrementAndGet();
            default -> errors.incrementAndGet();
        }
    }

    /** One line: the phase, how far it is, and the counts so far. */
    String line() {
        long seconds = (System.nanoTime() - phaseStart) / 1_000_000_000L;
        String where =
                phase.equals("traffic")
                        ? String.format("sent %d/%d", sent.get(), payments)
                        : String.format("%d/%d", phaseDone.get(), phaseTotal);
        return String.format(
                "  %-8s %4ds  %s  authorized %d  declined %d  review %d  pending %d  captured %d%s",
                phase,
                seconds,
                where,
                authorized.get(),
                declined.get(),
                review.get(),
                pending.get(),
                captured.get(),
                errors.get() == 0 ? "" : "  errors " + errors.get());
    }
}
