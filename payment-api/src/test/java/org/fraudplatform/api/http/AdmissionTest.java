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
        admission.leave();

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
                                        admission.leave();
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

    @Test
    void shouldRefuseABoundBelowOne() {
        assertThatThrownBy(() -> new Admission(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }
}
