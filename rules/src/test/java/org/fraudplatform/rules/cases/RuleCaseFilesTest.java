package org.fraudplatform.rules.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.Set;
import org.fraudplatform.rules.engine.RuleEngine;
import org.fraudplatform.rules.engine.RulesetSource;
import org.fraudplatform.schemas.RiskAction;
import org.junit.jupiter.api.Test;

class RuleCaseFilesTest {

    private static RuleCaseFiles read(String yaml, Set<String> known) {
        return RuleCaseFiles.read("velocity.cases.yaml", new StringReader(yaml), known);
    }

    @Test
    void shouldReadACaseWithItsPaymentFeaturesAndExpectation() {
        RuleCaseFiles files =
                read(
                        """
                        # a comment
                        - case: sixth in ten minutes
                          payment: {amount: 999, cardCountry: DE}
                          features: {card_count_10m: 6}
                          expect: {action: decline, reasons: [VELOCITY_CARD_10M]}
                        """,
                        Set.of());

        assertThat(files.problems()).isEmpty();
        RuleCase c = files.cases().get(0);
        assertThat(c.location()).isEqualTo("velocity.cases.yaml:2");
        assertThat(c.transaction().getAmount()).isEqualTo(999);
        assertThat(c.transaction().getCardCountry()).isEqualTo("DE");
        assertThat(c.features().get("card_count_10m")).isEqualTo(6.0);
        assertThat(c.action()).isEqualTo(RiskAction.DECLINE);
        assertThat(c.reasons()).containsExactly("VELOCITY_CARD_10M");
    }

    @Test
    void shouldConvertACaseAmountToEuroCentsWithThePackagedRateTable() {
        RuleCaseFiles files =
                read(
                        """
                        - case: yen
                          payment: {amount: 100000, currency: JPY}
                          expect: {action: APPROVE, reasons: []}
                        """,
                        Set.of());

        assertThat(files.cases().get(0).transaction().getReferenceAmount()).isEqualTo(600_00);
    }

    @Test
    void shouldReportACurrencyTheRateTableLacks() {
        RuleCaseFiles files =
                read(
                        """
                        - case: tugrik
                          payment: {amount: 100000, currency: MNT}
                          expect: {action: APPROVE, reasons: []}
                        """,
                        Set.of());

        assertThat(files.problems())
                .containsExactly(
                        "velocity.cases.yaml:2: payment is incomplete: currency MNT has no rate in"
                                + " the currency rate table (reference EUR)");
    }

    @Test
    void shouldReportEveryProblemWithItsLine() {
        RuleCaseFiles files =
                read(
                        """
                        - case: one
                          payment: {amuont: 5}
                          expect: {action: DECLINE, reasons: []}
                        - case: two
                          features: {card_cnt_10m: 6}
                          expect: {action: MAYBE, reasons: []}
                        - case: three
                          features: {card_count_10m: six}
                        - case: four
                          expect: {action: APPROVE}
                        """,
                        Set.of("card_count_10m"));

        assertThat(files.cases()).isEmpty();
        assertThat(files.problems())
                .containsExactly(
                        "velocity.cases.yaml:2: payment has no field 'amuont' (amount, currency,"
                                + " paymentMethod, cardBin, cardCountry, cardFunding, customerId,"
                                + " customerCountry, ip, deviceId, channel, merchantCategoryCode,"
                                + " instrumentToken, emailHash, merchantId, paymentId)",
                        "velocity.cases.yaml:5: no feature is named 'card_cnt_10m'",
                        "velocity.cases.yaml:6: expect.action must be APPROVE, REVIEW or DECLINE,"
                                + " was 'MAYBE'",
                        "velocity.cases.yaml:8: features.card_count_10m must be a number, was 'six'",
                        "velocity.cases.yaml:7: the case has no 'expect'",
                        "velocity.cases.yaml:10: expect has no 'reasons' (write [] for none)");
    }

    @Test
    void shouldReportBrokenYamlAndAFileThatIsNoList() {
        assertThat(read("- case: [unclosed\n", Set.of()).problems())
                .singleElement()
                .asString()
                .startsWith("velocity.cases.yaml:2: not valid YAML");
        assertThat(read("case: x\n", Set.of()).problems())
                .containsExactly(
                        "velocity.cases.yaml:1: a case file is a list of cases (each starting with"
                                + " '- case:')");
    }

    @Test
    void shouldRefuseTwoCasesWithOneName() {
        RuleCaseFiles files =
                read(
                        """
                        - case: same
                          expect: {action: APPROVE, reasons: []}
                        - case: same
                          expect: {action: APPROVE, reasons: []}
                        """,
                        Set.of());

        assertThat(files.cases()).hasSize(1);
        assertThat(files.problems())
                .containsExactly(
                        "velocity.cases.yaml:3: another case in this file is named 'same'");
    }

    @Test
    void shouldSayWhatTheRulesetDecidedInsteadWhenACaseFails() {
        var ruleset =
                RuleEngine.compile(
                        RulesetSource.of(
                                java.util.Map.of(
                                        "velocity.drl",
                                        """
                                        package org.fraudplatform.rules.ruleset;
                                        import org.fraudplatform.rules.facts.Features;
                                        global org.fraudplatform.rules.facts.Verdict verdict;
                                        rule "Ten in ten minutes"
                                        when
                                            Features( has("card_count_10m") && get("card_count_10m") >= 10 )
                                        then
                                            verdict.decline("VELOCITY_CARD_10M", "ten", 0.9);
                                        end
                                        """
                                                .getBytes(
                                                        java.nio.charset.StandardCharsets.UTF_8))));
        RuleCase c =
                read(
                                """
                                - case: sixth in ten minutes
                                  features: {card_count_10m: 6}
                                  expect: {action: DECLINE, reasons: [VELOCITY_CARD_10M]}
                                """,
                                Set.of())
                        .cases()
                        .get(0);

        assertThat(RuleCaseRunner.check(ruleset, c))
                .isEqualTo(
                        "velocity.cases.yaml:1: case 'sixth in ten minutes': expected DECLINE"
                                + " [VELOCITY_CARD_10M], got APPROVE []");
    }

    @Test
    void shouldFindAFeatureARuleReadsThatDoesNotExist() {
        RulesetSource source =
                RulesetSource.of(
                        java.util.Map.of(
                                "velocity.drl",
                                ("rule \"x\"\nwhen\n  Features( has(\"card_count_10m\") &&"
                                                + " get(\"card_cnt_1h\") > 1 )\nthen\nend\n")
                                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)));

        assertThat(FeatureReferences.unknown(source, Set.of("card_count_10m")))
                .containsExactly("velocity.drl:3: no feature is named 'card_cnt_1h'");
    }
}
