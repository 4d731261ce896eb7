package org.fraudplatform.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fraudplatform.rules.testing.PackagedRuleset.RULESET;
import static org.fraudplatform.rules.testing.RuleTestData.aCardPayment;
import static org.fraudplatform.rules.testing.RuleTestData.anEstablishedCard;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.fraudplatform.rules.facts.Features;
import org.fraudplatform.rules.facts.Transaction;
import org.junit.jupiter.api.Test;

class ConcurrentEvaluationTest {

    private static final int THREADS = 4;
    private static final int ROUNDS = 50;

    private record Case(Transaction transaction, Features features) {}

    @Test
    void shouldGiveTheSameDecisionsFromManyThreadsAsFromOne() throws Exception {
        // given: payments that match none, one or several rules, judged once on this thread
        List<Case> cases = cases();
        List<RuleDecision> expected = new ArrayList<>();
        for (Case c : cases) {
            expected.add(RULESET.evaluate(c.transaction(), c.features()));
        }

        // when: several threads judge them all, over and over, at the same time
        List<Callable<List<RuleDecision>>> tasks = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            tasks.add(
                    () -> {
                        List<RuleDecision> last = null;
                        for (int round = 0; round < ROUNDS; round++) {
                            List<RuleDecision> decisions = new ArrayList<>();
                            for (Case c : cases) {
                                decisions.add(RULESET.evaluate(c.transaction(), c.features()));
                            }
                            if (last != null && !last.equals(decisions)) {
                                throw new AssertionError("decisions changed between rounds");
                            }
                            last = decisions;
                        }
                        return last;
                    });
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<List<RuleDecision>> results = new ArrayList<>();
        try {
            for (Future<List<RuleDecision>> f : pool.invokeAll(tasks)) {
                results.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }

        // then
        assertThat(expected)
                .extracting(RuleDecision::codes)
                .anySatisfy(c -> assertThat(c).hasSizeGreaterThan(2));
        assertThat(results).hasSize(THREADS).allSatisfy(r -> assertThat(r).isEqualTo(expected));
    }

    private static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            cases.add(
                    new Case(
                            aCardPayment()
                                    .paymentId("pay-" + i)
                                    .amount(i * 400_00L)
                                    .cardCountry(i % 3 == 0 ? "BR" : "DE")
                                    .merchantCategoryCode(i % 5 == 0 ? "7995" : "5411")
                                    .build(),
                            anEstablishedCard()
                                    .put("card_count_10m", i % 9)
                                    .put("card_sum_amount_1d", i * 400_00L)
                                    .put("card_seconds_since_first_seen", i * 5_000)
                                    .build()));
        }
        return cases;
    }
}
