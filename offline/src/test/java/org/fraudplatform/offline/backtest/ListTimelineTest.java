package org.fraudplatform.offline.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import org.fraudplatform.rules.facts.Lists;
import org.junit.jupiter.api.Test;

class ListTimelineTest {

    @Test
    void shouldHoldAValueOnlyWhileItWasOnItsList() {
        ListTimeline timeline =
                new ListTimeline.Builder()
                        .put("blocked_ips", "198.51.100.1", 100, Long.MAX_VALUE)
                        .remove("blocked_ips:198.51.100.1", 200)
                        .put("blocked_ips", "198.51.100.2", 150, 300)
                        .put("blocked_ips", "198.51.100.1", 400, Long.MAX_VALUE)
                        .build();

        assertThat(holds(timeline.at(99), "198.51.100.1")).isFalse();
        assertThat(holds(timeline.at(100), "198.51.100.1")).isTrue();
        assertThat(holds(timeline.at(200), "198.51.100.1")).as("removed at 200").isFalse();
        assertThat(holds(timeline.at(400), "198.51.100.1")).as("added again").isTrue();
        assertThat(holds(timeline.at(299), "198.51.100.2")).isTrue();
        assertThat(holds(timeline.at(300), "198.51.100.2")).as("expired at 300").isFalse();
    }

    @Test
    void shouldLetANewEntryReplaceTheOldOneFromItsTime() {
        ListTimeline timeline =
                new ListTimeline.Builder()
                        .put("blocked_ips", "a", 100, Long.MAX_VALUE)
                        .put("blocked_ips", "a", 200, 250)
                        .build();

        assertThat(holds(timeline.at(150), "a")).isTrue();
        assertThat(holds(timeline.at(260), "a")).as("the new entry expires").isFalse();
    }

    private static boolean holds(Lists lists, String ip) {
        return lists.holds("blocked_ips", ip);
    }
}
