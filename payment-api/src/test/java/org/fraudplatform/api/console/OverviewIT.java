package org.fraudplatform.api.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fraudplatform.api.console.CaseDetailsIT.apply;
import static org.fraudplatform.api.console.CaseDetailsIT.decision;

import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fraudplatform.database.Database;
import org.fraudplatform.database.testing.TestDatabase;
import org.fraudplatform.history.DecisionWriter;
import org.fraudplatform.schemas.ReasonCode;
import org.fraudplatform.schemas.RiskAction;
import org.fraudplatform.schemas.RiskDecision;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The overview's numbers from decisions projected into a real PostgreSQL, and how fast. */
class OverviewIT {

    static final Instant NOW = Instant.parse("2026-12-01T10:30:30Z");

    Database db;

    @BeforeEach
    void database() {
        db = TestDatabase.fresh();
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void shouldCountTheLastHoursDecisionsPerMinuteByActionAndTheirTopReasons() throws Exception {
        // given: two approvals this minute, a review 5 minutes ago, a decline 61 minutes ago
        ReasonCode large = new ReasonCode("AMOUNT_VERY_LARGE", "large", "rule:large");
        ReasonCode velocity = new ReasonCode("VELOCITY_<CARD>", "fast", "rule:velocity");
        apply(
                new DecisionWriter(db.dataSource()),
                "payments.decisions",
                List.of(
                        at(decision("p1", RiskAction.APPROVE, Map.of()), NOW),
                        at(decision("p2", RiskAction.APPROVE, Map.of()), NOW.minusSeconds(20)),
                        at(
                                decision("p3", RiskAction.REVIEW, Map.of())
                                        .setReasons(List.of(large, velocity)),
                                NOW.minusSeconds(300)),
                        at(
                                decision("p4", RiskAction.DECLINE, Map.of())
                                        .setReasons(List.of(velocity)),
                                NOW.minusSeconds(61 * 60))));

        // when
        Overview.Numbers numbers;
        try (Connection c = db.dataSource().getConnection()) {
            numbers =
                    Overview.read(
                            c, NOW, List.of(new DeadLetterCounts.Count("payments.dlq", 7, 3)));
        }
        String html = Overview.render(numbers);

        // then
        assertThat(numbers.perMinute()[59]).containsExactly(2, 0, 0);
        assertThat(numbers.perMinute()[54]).containsExactly(0, 1, 0);
        assertThat(numbers.total(2)).as("61 minutes ago is out of the hour").isZero();
        assertThat(numbers.topReasons())
                .containsExactly(
                        new Overview.Reason("AMOUNT_VERY_LARGE", 1),
                        new Overview.Reason("VELOCITY_<CARD>", 1));
        assertThat(html)
                .contains("<svg class=\"chart\" role=\"img\"")
                .contains("<title>2 approve, 0 min ago</title>")
                .contains("<title>1 review, 5 min ago</title>")
                .contains("VELOCITY_&lt;CARD&gt;")
                .doesNotContain("VELOCITY_<CARD>")
                .contains("<code>payments.dlq</code></td><td class=\"num\">3</td>")
                .doesNotContain("<script");
    }

    @Test
    void shouldReadTheOverviewWithinFiftyMillisecondsWith100000DecisionsInTheHour()
            throws Exception {
        // given
        DecisionWriter writer = new DecisionWriter(db.dataSource());
        ReasonCode large = new ReasonCode("AMOUNT_VERY_LARGE", "large", "rule:large");
        RiskAction[] actions = RiskAction.values();
        for (int batch = 0; batch < 100; batch++) {
            List<RiskDecision> decided = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                int n = batch * 1_000 + i;
                RiskAction action = actions[n % 3];
                decided.add(
                        at(
                                decision("pay_o_" + n, action, Map.of())
                                        .setReasons(
                                                action == RiskAction.APPROVE
                                                        ? List.of()
                                                        : List.of(large)),
                                NOW.minusMillis(n * 35L)));
            }
            apply(writer, "payments.decisions", decided);
        }
        try (Connection c = db.dataSource().getConnection();
                var s = c.createStatement()) {
            s.execute("ANALYZE payment_decisions");
        }

        // when
        long best = Long.MAX_VALUE;
        Overview.Numbers numbers = null;
        for (int i = 0; i < 10; i++) {
            long started = System.nanoTime();
            try (Connection c = db.dataSource().getConnection()) {
                numbers = Overview.read(c, NOW, List.of());
            }
            Overview.render(numbers);
            best = Math.min(best, System.nanoTime() - started);
        }

        // then
        System.out.printf("overview of 100 000 decisions in the hour: %.1f ms%n", best / 1e6);
        assertThat(numbers.total(0) + numbers.total(1) + numbers.total(2)).isEqualTo(100_000);
        assertThat(best / 1_000_000).isLessThan(50);
    }

    private static RiskDecision at(RiskDecision.Builder decision, Instant at) {
        return decision.setDecidedAt(at).build();
    }
}
