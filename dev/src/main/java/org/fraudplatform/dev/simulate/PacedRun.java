package org.fraudplatform.dev.simulate;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Runs numbered tasks at a fixed rate on a pool of threads, open loop: task {@code i} is started at
 * {@code i/rate} seconds whether or not the earlier ones have finished (a slow platform builds a
 * queue instead of slowing the traffic down), with at most {@code workers} in progress at once.
 */
final class PacedRun {

    private PacedRun() {}

    /**
     * Runs {@code task} for 0 to {@code count - 1} and returns when all have finished.
     *
     * @throws IllegalStateException with the first failure of a task
     */
    static void run(int count, int rate, int workers, IntConsumer task)
            throws InterruptedException {
        AtomicInteger thread = new AtomicInteger();
        ExecutorService pool =
                Executors.newFixedThreadPool(
                        workers,
                        r -> {
                            Thread t = new Thread(r, "simulate-" + thread.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
        try {
            Future<?>[] started = new Future<?>[count];
            long interval = 1_000_000_000L / rate;
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                long wait;
                while ((wait = start + i * interval - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                int index = i;
                started[i] = pool.submit(() -> task.accept(index));
            }
            for (Future<?> f : started) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("a simulated request failed", e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
