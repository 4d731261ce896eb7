package org.fraudplatform.api.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);

    private int taken(TokenBucket bucket, int tries) {
        int taken = 0;
        for (int i = 0; i < tries; i++) {
            if (bucket.tryTake() == 0) {
                taken++;
            }
        }
        return taken;
    }

    @Test
    void shouldAllowABurstOfOneSecondsWorthThenRefuseNamingTheWait() {
        TokenBucket bucket = new TokenBucket(10, now::get);

        assertThat(taken(bucket, 10)).isEqualTo(10);
        long wait = bucket.tryTake();

        assertThat(wait).as("a tenth of a second until the next token").isEqualTo(100_000_000L);
    }

    @Test
    void shouldRefillAtTheNewRateOnceTheShareChangesKeepingWhatWasSavedUpToTheNewCapacity() {
        TokenBucket bucket = new TokenBucket(10, now::get);
        taken(bucket, 10);
        now.addAndGet(500_000_000L); // half a second at 10/s: 5 tokens saved up

        bucket.rateTo(4); // a second instance came up: 4/s, at most 4 saved up
        int afterTheChange = taken(bucket, 10);
        now.addAndGet(500_000_000L); // half a second at 4/s: 2 tokens
        int halfASecondLater = taken(bucket, 10);

        assertThat(bucket.ratePerSecond()).isEqualTo(4);
        assertThat(afterTheChange).isEqualTo(4);
        assertThat(halfASecondLater).isEqualTo(2);
    }

    @Test
    void shouldRefillAtItsRate() {
        TokenBucket bucket = new TokenBucket(10, now::get);
        taken(bucket, 10);

        now.addAndGet(250_000_000L); // a quarter of a second: 2.5 tokens

        assertThat(taken(bucket, 10)).isEqualTo(2);
        assertThat(bucket.tryTake()).isEqualTo(50_000_000L);
    }

    @Test
    void shouldNeverSaveUpMoreThanOneSecondsWorth() {
        TokenBucket bucket = new TokenBucket(100, now::get);

        now.addAndGet(3_600_000_000_000L); // an idle hour

        assertThat(taken(bucket, 1_000)).isEqualTo(100);
    }

    @Test
    void shouldHoldASustainedRateAtItsLimit() {
        TokenBucket bucket = new TokenBucket(5_000, now::get);
        taken(bucket, 5_000);
        int taken = 0;

        // ten seconds of 20 000 requests/s, one every 50 µs
        for (int i = 0; i < 200_000; i++) {
            now.addAndGet(50_000L);
            if (bucket.tryTake() == 0) {
                taken++;
            }
        }

        assertThat(taken).isBetween(49_999, 50_001);
    }

    @Test
    void shouldRefuseARateBelowOne() {
        assertThatThrownBy(() -> new TokenBucket(0, now::get))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
