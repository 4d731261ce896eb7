package org.fraudplatform.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fraudplatform.api.PaymentApi;
import org.fraudplatform.dev.simulate.Outcome;
import org.fraudplatform.dev.simulate.Scenario;
import org.fraudplatform.dev.simulate.SimulationOptions;
import org.fraudplatform.dev.simulate.SimulationReport;
import org.fraudplatform.dev.simulate.Simulator;
import org.fraudplatform.dev.simulate.TrafficPlan;
import org.fraudplatform.platform.Platform;
import org.fraudplatform.platform.testing.SharedPlatform;
import org.fraudplatform.platform.testing.TopicReader;
import org.fraudplatform.schemas.Label;
import org.fraudplatform.schemas.LabelSource;
import org.fraudplatform.schemas.serde.SchemaRegistries;
import org.fraudplatform.schemas.topics.Topics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * {@code fraud simulate} against an embedded platform: a few hundred payments with a generous share
 * of fraud, at a high rate; the rules catch the card testing, the chargebacks and reports go
 * through, and the labels arrive on the {@code labels} topic. Run again with the same seed, the
 * simulation replays every first answer and labels nothing twice.
 */
@Execution(value = ExecutionMode.SAME_THREAD, reason = SharedPlatform.LANE)
class SimulateIT {

    static final SimulationOptions OPTIONS =
            new SimulationOptions(400, 200, 100, 7, 0.15, 0.8, 0.1, 0.05);

    @RegisterExtension static final SharedPlatform shared = new SharedPlatform();
    static Platform platform;
    static String url;
    static SimulationReport report;
    static String progress;

    @BeforeAll
    static void startPlatformAndSimulate() throws Exception {
        platform = shared.platform();
        url = shared.base().toString();
        StringWriter out = new StringWriter();
        report =
                new Simulator(
                                url,
                                key(Platform.DEMO_KEY_FILE),
                                key(PaymentApi.ADMIN_TOKEN_FILE),
                                32)
                        .run(TrafficPlan.generate(OPTIONS), new PrintWriter(out, true));
        progress = out.toString();
        System.out.println(progress);
        System.out.println(report.format());
    }

    @Test
    void everyPlannedPaymentGetsAnAnswerAndGenuineCustomersAreMostlyApproved() {
        assertThat(report.outcomes()).hasSize(400);
        assertThat(report.outcomes()).noneMatch(o -> o.outcome() == Outcome.ERROR);
        int genuine = report.payments(Scenario.GENUINE);
        assertThat(report.count(Scenario.GENUINE, Outcome.APPROVED))
                .isGreaterThanOrEqualTo((int) (0.9 * genuine));
        assertThat(report.captured(Scenario.GENUINE))
                .as("every approved genuine payment is captured")
                .isGreaterThanOrEqualTo(report.count(Scenario.GENUINE, Outcome.APPROVED));
        assertThat(report.refunded(Scenario.GENUINE)).isPositive();
    }

    @Test
    void theRulesDeclineCardTesting() {
        assertThat(report.count(Scenario.CARD_TESTING, Outcome.DECLINED)).isPositive();
        assertThat(report.outcomes())
                .filteredOn(o -> o.plan().scenario() == Scenario.CARD_TESTING)
                .filteredOn(o -> o.outcome() == Outcome.DECLINED)
                .allSatisfy(o -> assertThat(o.riskAction()).isEqualTo("decline"));
        assertThat(report.verdicts(true, "decline")).isPositive();
    }

    @Test
    void chargebacksAndFraudReportsAreAcceptedAndBecomeLabels() {
        assertThat(report.chargebacksSent()).isPositive();
        assertThat(report.chargebacksAccepted()).isEqualTo(report.chargebacksSent());
        assertThat(report.reportsAccepted()).isEqualTo(report.reportsSent());

        List<Label> labels = labelsOfThisRun(expectedLabels());

        assertThat(labels).hasSize(expectedLabels());
        assertThat(labels)
                .filteredOn(l -> l.getSource() == LabelSource.CHARGEBACK)
                .hasSize(report.chargebacksAccepted())
                .allSatisfy(
                        l -> {
                            assertThat(l.getFraud()).isTrue();
                            assertThat(l.getReasonCode()).isEqualTo("10.4");
                        });
        assertThat(labels)
                .filteredOn(l -> l.getSource() == LabelSource.FRAUD_REPORT)
                .hasSize(report.reportsAccepted());
        assertThat(labels)
                .filteredOn(l -> l.getSource() == LabelSource.REVIEW)
                .hasSize(report.reviewsApproved() + report.reviewsRejected());
        Set<String> fraudIds = new HashSet<>();
        report.outcomes().stream()
                .filter(o -> o.plan().fraud())
                .forEach(o -> fraudIds.add(o.paymentId()));
        assertThat(labels)
                .as("labels tell the truth")
                .allSatisfy(
                        l ->
                                assertThat(l.getFraud())
                                        .isEqualTo(fraudIds.contains(l.getPaymentId())));
    }

    @Test
    void theCommandRunsAgainWithTheSameSeedAndRepeatsNothing() {
        int before = labelsOfThisRun(expectedLabels()).size();
        StringWriter out = new StringWriter();
        var cli = FraudCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));

        int exit =
                cli.execute(
                        "simulate",
                        "--url",
                        url,
                        "--api-key-file",
                        shared.dataDir().resolve(Platform.DEMO_KEY_FILE).toString(),
                        "--token-file",
                        shared.dataDir().resolve(PaymentApi.ADMIN_TOKEN_FILE).toString(),
                        "--payments",
                        "400",
                        "--rate",
                        "200",
                        "--customers",
                        "100",
                        "--seed",
                        "7",
                        "--fraud-share",
                        "0.15");

        assertThat(exit).as(out.toString()).isZero();
        assertThat(out.toString())
                .contains("Simulating 400 payments at 200/s")
                .contains("risk engine vs ground truth")
                .contains("400 of 400 authorizations were replays");
        assertThat(labelsOfThisRun(before)).as("no label twice").hasSize(before);
    }

    @Test
    void progressIsPrintedWhileItRuns() {
        assertThat(progress).contains("authorized").contains("captured");
    }

    // ---- helpers ----

    static int expectedLabels() {
        return report.chargebacksAccepted()
                + report.reportsAccepted()
                + report.reviewsApproved()
                + report.reviewsRejected();
    }

    static List<Label> labelsOfThisRun(int atLeast) {
        Set<String> ids = new HashSet<>();
        report.outcomes().forEach(o -> ids.add(o.paymentId()));
        return TopicReader.read(
                platform.bootstrapServers(),
                Topics.create(SchemaRegistries.connect(platform.schemaRegistryUrl()), 3).labels(),
                l -> ids.contains(l.getPaymentId()),
                atLeast,
                Duration.ofSeconds(30));
    }

    static String key(String file) throws Exception {
        return Files.readString(shared.dataDir().resolve(file)).trim();
    }
}
