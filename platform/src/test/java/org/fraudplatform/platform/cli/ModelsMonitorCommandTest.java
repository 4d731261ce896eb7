package org.fraudplatform.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fraudplatform.models.evaluation.MonitorReport;
import org.fraudplatform.schemas.Label;
import org.fraudplatform.schemas.LabelSource;
import org.fraudplatform.schemas.RiskAction;
import org.fraudplatform.schemas.RiskDecision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code fraud models monitor} from the decisions and labels as the topics hold them: the periods'
 * defaults, the join of labels to decisions, champion and shadow kept apart by version, and the
 * summary it prints.
 */
class ModelsMonitorCommandTest {

    static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");
    static final long DAY = 86_400;

    @TempDir Path dir;

    private static RiskDecision decision(
            String id, Instant at, double champion, Double shadow, double amount) {
        return RiskDecision.newBuilder()
                .setPaymentId(id)
                .setMerchantId("m1")
                .setCorrelationId("c-" + id)
                .setAction(RiskAction.APPROVE)
                .setScore(champion)
                .setRulesetVersion("r1")
                .setModelVersion("champ1")
                .setModelScore(champion)
                .setShadowModelVersion(shadow == null ? null : "shadow1")
                .setShadowModelScore(shadow)
                .setFeatures(Map.of("amount_minor", amount, "card_count_1d", 1.0))
                .setDecisionLatencyMicros(100)
                .setDecidedAt(at)
                .build();
    }

    private static Label fraud(String paymentId, boolean fraud, Instant knownAt) {
        return Label.newBuilder()
                .setLabelId("l-" + paymentId + knownAt)
                .setPaymentId(paymentId)
                .setMerchantId("m1")
                .setInstrumentKey("tok")
                .setFraud(fraud)
                .setSource(LabelSource.CHARGEBACK)
                .setPaymentTime(T0)
                .setKnownAt(knownAt)
                .build();
    }

    @Test
    void shouldCompareTheModelsOnTheLabelsKnownAndSeeTheAmountsDrift() throws Exception {
        // given: 20 decisions a day for 14 days; the last week pays ten times more, and the
        // shadow scored it only; two of its frauds are known, one label later withdrawn
        List<RiskDecision> decisions = new ArrayList<>();
        for (int day = 0; day < 14; day++) {
            for (int i = 0; i < 20; i++) {
                double amount = (day < 7 ? 1_000 : 10_000) + i * 100;
                double score = i / 20.0;
                decisions.add(
                        decision(
                                "p" + day + "-" + i,
                                T0.plusSeconds(day * DAY + i * 60),
                                score,
                                day < 7 ? null : 1 - score,
                                amount));
            }
        }
        List<Label> labels =
                List.of(
                        fraud("p10-19", true, T0.plusSeconds(12 * DAY)),
                        fraud("p11-0", true, T0.plusSeconds(12 * DAY)),
                        fraud("p12-5", true, T0.plusSeconds(12 * DAY)),
                        fraud("p12-5", false, T0.plusSeconds(13 * DAY)));

        // when: the defaults, the week up to the newest decision against what came before
        ModelsMonitorCommand.Periods p =
                ModelsMonitorCommand.periods(decisions, null, null, null, null);
        MonitorReport.Summary s =
                ModelsMonitorCommand.report(dir.resolve("monitor"), decisions, labels, p, 0.8);

        // then
        assertThat(p.to()).isEqualTo(T0.plusSeconds(13 * DAY + 19 * 60).plusMillis(1));
        assertThat(p.from()).isEqualTo(p.to().minusSeconds(7 * DAY));
        assertThat(p.referenceTo()).isEqualTo(p.from());
        assertThat(p.referenceFrom()).isEqualTo(p.from().minusSeconds(28 * DAY));
        MonitorReport.ModelSummary champion = s.models().get(0);
        assertThat(champion.role()).isEqualTo("champion");
        assertThat(champion.payments()).isEqualTo(140);
        assertThat(champion.frauds()).isEqualTo(2);
        // flagged >= 0.8: i = 16..19 on 7 days, 28 payments, one of them the fraud p10-19
        assertThat(champion.precision()).isCloseTo(1 / 28.0, within(1e-12));
        assertThat(champion.recall()).isCloseTo(0.5, within(1e-12));
        assertThat(champion.scorePsi()).isCloseTo(0, within(1e-9));
        MonitorReport.ModelSummary shadow = s.models().get(1);
        assertThat(shadow.version()).isEqualTo("shadow1");
        assertThat(shadow.recall()).isCloseTo(0.5, within(1e-12));
        assertThat(shadow.scorePsi()).isNaN(); // it scored nothing in the reference period
        assertThat(s.drift())
                .extracting(MonitorReport.FeatureDrift::name)
                .containsExactly("amount_minor", "card_count_1d");
        assertThat(s.drift().get(0).psi()).isGreaterThan(0.25);
        assertThat(s.drift().get(1).psi()).isZero();
        StringWriter printed = new StringWriter();
        ModelsMonitorCommand.print(new PrintWriter(printed), s);
        assertThat(printed.toString())
                .contains("champion champ1: 140 payments, 2 known frauds; precision 0.036")
                .contains("shadow shadow1: 140 payments, 2 known frauds")
                .contains("1 of 2 features drifted")
                .contains("amount_minor: PSI")
                .contains("Report: ");
        assertThat(Files.readString(s.html())).contains("<svg");
    }

    @Test
    void shouldReportNumbersAsNotAvailableBeforeAnyFraudIsKnown() throws Exception {
        List<RiskDecision> decisions =
                List.of(
                        decision("a", T0, 0.9, null, 1_000),
                        decision("b", T0.plusSeconds(DAY), 0.1, null, 1_000));
        ModelsMonitorCommand.Periods p =
                ModelsMonitorCommand.periods(
                        decisions, T0.plusSeconds(DAY), null, T0, T0.plusSeconds(DAY));

        MonitorReport.Summary s = ModelsMonitorCommand.report(dir, decisions, List.of(), p, 0.8);

        MonitorReport.ModelSummary champion = s.models().get(0);
        assertThat(champion.payments()).isEqualTo(1);
        assertThat(champion.precision()).isNaN();
        assertThat(champion.recall()).isNaN();
        assertThat(champion.averagePrecision()).isNaN();
        assertThat(Files.readString(s.markdown())).contains("| champion | champ1 | 1 | 0 | n/a |");
    }

    @Test
    void shouldRefuseAPeriodThatEndsBeforeItStarts() {
        assertThatThrownBy(
                        () ->
                                ModelsMonitorCommand.periods(
                                        List.of(), T0.plusSeconds(DAY), T0, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must end after it starts");
    }

    @Test
    void shouldDescribeItselfInTheHelp() {
        StringWriter help = new StringWriter();
        CommandLine cli = FraudCommand.commandLine(Map.of());
        cli.setOut(new PrintWriter(help));

        int code = cli.execute("models", "monitor", "--help");

        assertThat(code).isZero();
        assertThat(help.toString())
                .contains("--since", "--reference-from", "--threshold", "Population Stability");
    }
}
