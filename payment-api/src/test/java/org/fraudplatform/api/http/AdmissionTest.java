package org.fraudplatform.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AdmissionTest {

    @Test
    void shouldRefuseTheRequestBeyondTheBoundAndTakeOneAgainOnceASlotIsFree() {
        Admission admission = new Admission(2);

        assertThat(admission.tryEnter()).isTrue();
        assertThat(admission.tryEnter()).isTrue();
        assertThat(admission.tryEnter()).isFalse();
        admission.leave(0);

        assertThat(admission.tryEnter()).isTrue();
        assertThat(admission.inFlight()).isEqualTo(2);
    }

    @Test
    void shouldNeverAdmitMoreThanTheBoundUnderConcurrentArrivals() throws Exception {
        Admission admission = new Admission(5);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        Thread[] threads = new Thread[16];
        for (int t = 0; t < threads.length; t++) {
            threads[t] =
                    new Thread(
                            () -> {
                                try {
                                    start.await();
                                } catch (InterruptedException e) {
                                    return;
                                }
                                for (int i = 0; i < 2_000; i++) {
                                    if (admission.tryEnter()) {
                                        mostInside.accumulateAndGet(
                                                inside.incrementAndGet(), Math::max);
                                        inside.decrementAndGet();
                                        admission.leave(0);
                                    } else {
                                        refused.incrementAndGet();
                                    }
                                }
                            });
            threads[t].start();
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }

        assertThat(mostInside.get()).isBetween(1, 5);
        assertThat(admission.inFlight()).isZero();
    }

    /** A clock the test moves by hand, in nanoseconds. */
    private final long[] now = {0};

    private Admission adaptive(int max, long targetMillis) {
        return new Admission(max, java.time.Duration.ofMillis(targetMillis), () -> now[0]);
    }

    /** Fills every slot, then completes them all with this latency, one window later. */
    private void windowOf(Admission admission, long latencyMillis) {
        int taken = 0;
        while (admission.tryEnter()) {
            taken++;
        }
        now[0] += Admission.WINDOW_MILLIS * 1_000_000L;
        for (int i = 0; i < taken; i++) {
            admission.leave(latencyMillis * 1_000_000L);
        }
    }

    @Test
    void shouldShrinkTheLimitWhileAcceptedRequestsTakeLongerThanTheTarget() {
        Admission admission = adaptive(256, 250);
        int start = admission.limit();

        windowOf(admission, 900);
        int once = admission.limit();
        for (int i = 0; i < 30; i++) {
            windowOf(admission, 900);
        }

        assertThat(once).isLessThan(start);
        assertThat(admission.limit()).isEqualTo(Admission.MIN_LIMIT);
    }

    @Test
    void shouldGrowTheLimitBackUpToTheMaximumWhileLatencyStaysUnderTheTarget() {
        Admission admission = adaptive(64, 250);
        for (int i = 0; i < 30; i++) {
            windowOf(admission, 900);
        }
        assertThat(admission.limit()).isEqualTo(Admission.MIN_LIMIT);

        for (int i = 0; i < 100; i++) {
            windowOf(admission, 20);
        }

        assertThat(admission.limit()).isEqualTo(64);
    }

    @Test
    void shouldKeepAFixedBoundWithoutALatencyTarget() {
        Admission admission = adaptive(16, 0);

        windowOf(admission, 5_000);

        assertThat(admission.limit()).isEqualTo(16);
    }

    @Test
    void shouldRefuseABoundBelowOne() {
        assertThatThrownBy(() -> new Admission(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }
}
