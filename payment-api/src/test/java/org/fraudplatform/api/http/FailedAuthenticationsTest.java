package org.fraudplatform.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FailedAuthenticationsTest {

    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong(5_000 * SECOND);
    private final FailedAuthentications failures = new FailedAuthentications(3, now::get);
    private final InetAddress guesser = InetAddress.getLoopbackAddress();

    private static InetAddress address(String a) throws Exception {
        return InetAddress.getByName(a);
    }

    @Test
    void shouldSlowAnAddressDownPastItsFailuresPerMinuteUntilTheMinuteEnds() {
        for (int i = 0; i < 3; i++) {
            failures.failed(guesser);
        }
        assertThat(failures.retryAfterSeconds(guesser)).as("three are allowed").isZero();

        failures.failed(guesser);
        now.addAndGet(20 * SECOND);

        assertThat(failures.retryAfterSeconds(guesser)).isEqualTo(40);
        now.addAndGet(40 * SECOND);
        assertThat(failures.retryAfterSeconds(guesser)).isZero();
    }

    @Test
    void shouldCountEachAddressApart() throws Exception {
        for (int i = 0; i < 10; i++) {
            failures.failed(address("198.51.100.7"));
        }

        assertThat(failures.retryAfterSeconds(address("198.51.100.7"))).isPositive();
        assertThat(failures.retryAfterSeconds(address("198.51.100.8"))).isZero();
    }

    @Test
    void shouldStartAFreshWindowAfterAMinute() {
        for (int i = 0; i < 3; i++) {
            failures.failed(guesser);
        }
        now.addAndGet(61 * SECOND);

        failures.failed(guesser);

        assertThat(failures.retryAfterSeconds(guesser)).isZero();
    }
}
