package org.fraudplatform.workers.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Retries back off exponentially, with jitter, up to a ceiling. */
class WebhookSettingsTest {

    private final WebhookSettings settings =
            new WebhookSettings(
                    Duration.ofSeconds(10), Duration.ofMinutes(5), 8, Duration.ofSeconds(5), false);

    @Test
    void eachPauseIsBetweenHalfAndAllOfTheDoubledBase() {
        SplittableRandom random = new SplittableRandom(1);
        for (int attempt = 1; attempt <= 4; attempt++) {
            long full = 10_000L << (attempt - 1);
            for (int i = 0; i < 200; i++) {
                long pause = settings.pauseAfter(attempt, random).toMillis();
                assertThat(pause).as("after attempt " + attempt).isBetween(full / 2, full);
            }
        }
    }

    @Test
    void pausesStopGrowingAtTheCeilingAndSpreadOut() {
        SplittableRandom random = new SplittableRandom(2);
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (int i = 0; i < 100; i++) {
            long pause = settings.pauseAfter(12, random).toMillis();
            assertThat(pause).isBetween(150_000L, 300_000L);
            seen.add(pause);
        }
        assertThat(seen)
                .as("jitter: not every endpoint retries at the same moment")
                .hasSizeGreaterThan(50);
    }

    @Test
    void nonsenseSettingsAreRefused() {
        assertThatThrownBy(
                        () ->
                                new WebhookSettings(
                                        Duration.ZERO,
                                        Duration.ofSeconds(1),
                                        3,
                                        Duration.ofSeconds(1),
                                        false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () ->
                                new WebhookSettings(
                                        Duration.ofSeconds(1),
                                        Duration.ofSeconds(1),
                                        0,
                                        Duration.ofSeconds(1),
                                        false))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
