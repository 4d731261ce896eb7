package org.fraudplatform.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.fraudplatform.schemas.AuditEvent;
import org.fraudplatform.schemas.CommandOutcome;
import org.fraudplatform.schemas.CommandResult;
import org.fraudplatform.schemas.DeadLetter;
import org.fraudplatform.schemas.Label;
import org.fraudplatform.schemas.LabelSource;
import org.fraudplatform.schemas.PaymentCommand;
import org.fraudplatform.schemas.PaymentCommandType;
import org.fraudplatform.schemas.PaymentEvent;
import org.fraudplatform.schemas.PaymentEventType;
import org.fraudplatform.schemas.PaymentMethodType;
import org.fraudplatform.schemas.PaymentSnapshot;
import org.fraudplatform.schemas.RiskAction;
import org.fraudplatform.schemas.serde.InMemorySchemaRegistry;
import org.fraudplatform.schemas.topics.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LedgerTopologyTest {

    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final String MERCHANT = "merchant-1";

    private final Topics topics = Topics.create(InMemorySchemaRegistry.inMemory(), 3);
    private TopologyTestDriver driver;
    private TestInputTopic<String, PaymentCommand> commands;
    private TestInputTopic<byte[], byte[]> rawCommands;
    private TestOutputTopic<String, PaymentEvent> events;
    private TestOutputTopic<String, PaymentSnapshot> snapshots;
    private TestOutputTopic<String, CommandResult> results;
    private TestOutputTopic<String, Label> labels;
    private TestOutputTopic<String, AuditEvent> audit;
    private TestOutputTopic<byte[], DeadLetter> deadLetters;
    private int commandCounter;

    @BeforeEach
    void start() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "ledger-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver =
                new TopologyTestDriver(
                        LedgerTopology.build(
                                new LedgerSettings(Duration.ofDays(7), Duration.ofMinutes(1)),
                                topics),
                        props,
                        T0);
        var c = topics.paymentCommands();
        commands =
                driver.createInputTopic(
                        c.name(), c.keySerde().serializer(), c.valueSerde().serializer());
        rawCommands =
                driver.createInputTopic(
                        c.name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
        events = output(topics.paymentEvents());
        snapshots = output(topics.paymentSnapshots());
        results = output(topics.commandResults());
        labels = output(topics.labels());
        audit = output(topics.audit());
        var dlq = topics.deadLetters();
        deadLetters =
                driver.createOutputTopic(
                        dlq.name(), dlq.keySerde().deserializer(), dlq.valueSerde().deserializer());
    }

    private <V> TestOutputTopic<String, V> output(
            org.fraudplatform.schemas.topics.Topic<String, V> topic) {
        return driver.createOutputTopic(
                topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void shouldCaptureInPartsAndRefuseACaptureBeyondTheAuthorizedAmount() {
        record(authorized("pay_1", 100_00, T0, RiskAction.APPROVE));

        CommandResult first = send(capture("pay_1", "cap_1", 60_00));
        CommandResult second = send(capture("pay_1", "cap_2", 50_00));

        assertThat(first.getOutcome()).isEqualTo(CommandOutcome.ACCEPTED);
        assertThat(first.getPayment().getCaptured()).isEqualTo(60_00);
        assertThat(first.getPayment().getCapturable()).isEqualTo(40_00);
        assertThat(first.getPayment().getStatus()).isEqualTo("captured");
        assertThat(second.getOutcome()).isEqualTo(CommandOutcome.REFUSED);
        assertThat(second.getInvariant()).isEqualTo("CAPTURE_EXCEEDS_AUTHORIZED");
        assertThat(second.getPayment().getCaptured()).as("nothing changed").isEqualTo(60_00);
        assertThat(events.readValuesToList())
                .extracting(PaymentEvent::getType, PaymentEvent::getAmount)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(PaymentEventType.AUTHORIZED, 100_00L),
                        org.assertj.core.groups.Tuple.tuple(PaymentEventType.CAPTURED, 60_00L));
    }

    @Test
    void shouldCountEveryCommandByTypeOutcomeAndTheInvariantARefusalBroke() {
        io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        io.micrometer.core.instrument.Metrics.addRegistry(meters);
        try {
            record(authorized("pay_1", 100_00, T0, RiskAction.APPROVE));
            send(capture("pay_1", "cap_1", 60_00));
            send(capture("pay_1", "cap_1", 60_00));
            send(capture("pay_1", "cap_2", 50_00));

            assertThat(commands(meters, "capture", "accepted", "none")).isEqualTo(1);
            assertThat(commands(meters, "capture", "duplicate", "none")).isEqualTo(1);
            assertThat(commands(meters, "capture", "refused", "CAPTURE_EXCEEDS_AUTHORIZED"))
                    .isEqualTo(1);
            assertThat(commands(meters, "record", "accepted", "none")).isEqualTo(1);
            assertThat(
                            meters.get("ledger_commands").counters().stream()
                                    .mapToDouble(c -> c.count())
                                    .sum())
                    .as("the four commands and nothing else")
                    .isEqualTo(4);
        } finally {
            io.micrometer.core.instrument.Metrics.removeRegistry(meters);
        }
    }

    private static double commands(
            io.micrometer.core.instrument.MeterRegistry meters,
            String type,
            String outcome,
            String invariant) {
        return meters.get("ledger_commands")
                .tag("type", type)
                .tag("outcome", outcome)
                .tag("invariant", invariant)
                .counter()
                .count();
    }

    @Test
    void shouldApplyARepeatedOperationOnceAndAnswerItAsADuplicate() {
        record(authorized("pay_1", 100_00, T0, RiskAction.APPROVE));
        PaymentCommand refund = command("pay_1", PaymentCommandType.REFUND, "ref_1", 30_00L);
        send(capture("pay_1", "cap_1", null));

        assertThat(send(refund).getOutcome()).isEqualTo(CommandOutcome.ACCEPTED);
        assertThat(send(refund).getOutcome()).isEqualTo(CommandOutcome.DUPLICATE);
        CommandResult again = send(command("pay_1", PaymentCommandType.CAPTURE, "cap_1", null));

        assertThat(again.getOutcome())
                .as("a full capture retried without an amount is the same capture")
                .isEqualTo(CommandOutcome.DUPLICATE);
        assertThat(again.getPayment().getRefunded()).isEqualTo(30_00);
        assertThat(events.readValuesToList())
                .extracting(PaymentEvent::getType)
                .containsExactly(
                        PaymentEventType.AUTHORIZED,
                        PaymentEventType.CAPTURED,
                        PaymentEventType.REFUNDED);
    }

    @Test
    void shouldNeverRecordASecondAuthorizationOfAPayment() {
        PaymentEvent authorization = authorized("pay_1", 100_00, T0, RiskAction.APPROVE);
        record(authorization);

        CommandResult replayed = record(authorization);
        PaymentEvent other = PaymentEvent.newBuilder(authorization).setEventId("other").build();
        CommandResult second = record(other);

        assertThat(replayed.getOutcome()).isEqualTo(CommandOutcome.DUPLICATE);
        assertThat(second.getOutcome()).isEqualTo(CommandOutcome.REFUSED);
        assertThat(second.getInvariant()).isEqualTo("ALREADY_AUTHORIZED");
        assertThat(events.readValuesToList()).hasSize(1);
    }

    @Test
    void shouldAnswerNotFoundToAMerchantAskingAboutAnotherMerchantsPayment() {
        record(authorized("pay_1", 100_00, T0, RiskAction.APPROVE));

        PaymentCommand foreign =
                PaymentCommand.newBuilder(capture("pay_1", "cap_1", 10_00))
                        .setMerchantId("merchant-2")
                        .setActor("merchant:merchant-2")
                        .build();
        CommandResult result = send(foreign);

        assertThat(result.getOutcome()).isEqualTo(CommandOutcome.NOT_FOUND);
        assertThat(result.getPayment()).as("and it learns nothing about it").isNull();
        assertThat(send(capture("pay_unknown", "cap_1", 10_00)).getOutcome())
                .isEqualTo(CommandOutcome.NOT_FOUND);
        assertThat(events.readValuesToList()).hasSize(1);
    }

    @Test
    void shouldHoldAReviewedPaymentUntilAnAnalystDecides() {
        record(authorized("pay_r", 80_00, T0, RiskAction.REVIEW));

        CommandResult held = send(capture("pay_r", "cap_1", null));
        assertThat(held.getOutcome()).isEqualTo(CommandOutcome.REFUSED);
        assertThat(held.getInvariant()).isEqualTo("UNDER_REVIEW");
        assertThat(held.getPayment().getStatus()).isEqualTo("review");

        PaymentCommand reject =
                PaymentCommand.newBuilder(
                                command("pay_r", PaymentCommandType.REJECT_REVIEW, null, null))
                        .setActor("merchant:merchant-1/analyst@shop.example")
                        .setReasonCode("stolen_card")
                        .build();
        CommandResult rejected = send(reject);

        assertThat(rejected.getOutcome()).isEqualTo(CommandOutcome.ACCEPTED);
        assertThat(rejected.getPayment().getStatus()).isEqualTo("voided");
        assertThat(rejected.getPayment().getCapturable()).isZero();
        assertThat(events.readValuesToList())
                .extracting(PaymentEvent::getType)
                .containsExactly(
                        PaymentEventType.AUTHORIZED,
                        PaymentEventType.REVIEW_REJECTED,
                        PaymentEventType.VOIDED);
        Label label = labels.readValue();
        assertThat(label.getFraud()).isTrue();
        assertThat(label.getSource()).isEqualTo(LabelSource.REVIEW);
        assertThat(label.getPaymentTime()).isEqualTo(T0);
        AuditEvent audited = audit.readValue();
        assertThat(audited.getAction()).isEqualTo("review.reject");
        assertThat(audited.getActor()).isEqualTo("merchant:merchant-1/analyst@shop.example");
        assertThat(audited.getSubject()).isEqualTo("pay_r");
        assertThat(
                        send(command("pay_r", PaymentCommandType.APPROVE_REVIEW, null, null))
                                .getInvariant())
                .isEqualTo("REVIEW_NOT_OPEN");
    }

    @Test
    void shouldLetAnApprovedReviewBeCapturedAndLabelItGenuine() {
        record(authorized("pay_r", 80_00, T0, RiskAction.REVIEW));

        send(command("pay_r", PaymentCommandType.APPROVE_REVIEW, null, null));
        CommandResult captured = send(capture("pay_r", "cap_1", null));

        assertThat(captured.getOutcome()).isEqualTo(CommandOutcome.ACCEPTED);
        assertThat(captured.getPayment().getCaptured()).isEqualTo(80_00);
        assertThat(labels.readValue().getFraud()).isFalse();
    }

    @Test
    void shouldExpireAnAuthorizationAfterItsValidityAndReleaseWhatWasNotCaptured() {
        record(authorized("pay_1", 100_00, T0, RiskAction.APPROVE));
        send(capture("pay_1", "cap_1", 25_00));
        events.readValuesToList();

        driver.advanceWallClockTime(Duration.ofDays(7).plusMinutes(1));

        PaymentEvent expired = events.readValue();
        assertThat(expired.getType()).isEqualTo(PaymentEventType.EXPIRED);
        assertThat(expired.getAmount()).isEqualTo(75_00);
        PaymentSnapshot after = lastSnapshot();
        assertThat(after.getCapturable()).isZero();
        assertThat(after.getStatus()).isEqualTo("captured");
        PaymentCommand late =
                PaymentCommand.newBuilder(capture("pay_1", "cap_2", 10_00))
                        .setRequestedAt(T0.plus(Duration.ofDays(8)))
                        .build();
        assertThat(send(late).getInvariant()).isEqualTo("AUTHORIZATION_EXPIRED");
        driver.advanceWallClockTime(Duration.ofDays(1));
        assertThat(events.isEmpty()).as("an authorization expires once").isTrue();
    }

    @Test
    void shouldLabelOnlyFraudChargebacksAndResolveThem() {
        record(authorized("pay_1", 100_00, T0, RiskAction.APPROVE));
        send(capture("pay_1", "cap_1", null));

        CommandResult fraud = send(chargeback("pay_1", "cb_1", 40_00L, "10.4"));
        CommandResult service = send(chargeback("pay_1", "cb_2", 10_00L, "13.1"));
        CommandResult won = send(command("pay_1", PaymentCommandType.WIN_CHARGEBACK, "cb_2", null));

        assertThat(fraud.getOutcome()).isEqualTo(CommandOutcome.ACCEPTED);
        assertThat(service.getPayment().getChargedBack()).isEqualTo(50_00);
        assertThat(won.getPayment().getChargedBack()).isEqualTo(40_00);
        assertThat(labels.readValuesToList())
                .singleElement()
                .satisfies(
                        l -> {
                            assertThat(l.getSource()).isEqualTo(LabelSource.CHARGEBACK);
                            assertThat(l.getReasonCode()).isEqualTo("10.4");
                        });
        assertThat(send(chargeback("pay_1", "cb_3", 70_00L, "10.4")).getInvariant())
                .as("only captured money not refunded or disputed can be charged back")
                .isEqualTo("CHARGEBACK_EXCEEDS_CAPTURED");
    }

    @Test
    void shouldSendGeneratedBytesToTheDeadLetterTopicWithAReasonAndKeepTheBooks() {
        java.util.Random random = new java.util.Random(20_261_208L);
        for (int i = 0; i < 300; i++) {
            byte[] key = new byte[random.nextInt(25)];
            byte[] value = new byte[1 + random.nextInt(300)];
            random.nextBytes(key);
            random.nextBytes(value);
            rawCommands.pipeInput(key, value, T0.plusMillis(i));
        }
        record(authorized("pay_1", 100_00, T0, RiskAction.APPROVE));
        CommandResult capture = send(capture("pay_1", "cap_1", 60_00));

        List<DeadLetter> letters = deadLetters.readValuesToList();
        assertThat(letters).hasSize(300);
        assertThat(letters)
                .allSatisfy(
                        l -> {
                            assertThat(l.getTopic()).isEqualTo(topics.paymentCommands().name());
                            assertThat(l.getError()).isNotBlank();
                        });
        assertThat(capture.getOutcome()).isEqualTo(CommandOutcome.ACCEPTED);
    }

    @Test
    void shouldSendMalformedCommandsToTheDeadLetterTopic() {
        rawCommands.pipeInput("pay_1".getBytes(), new byte[] {0, 1, 2, 3}, T0);
        commands.pipeInput(
                "pay_1",
                PaymentCommand.newBuilder(capture("pay_1", "cap_1", 10_00))
                        .setCommandId("")
                        .build(),
                T0);

        List<DeadLetter> letters = deadLetters.readValuesToList();

        assertThat(letters).hasSize(2);
        assertThat(letters.get(0).getError()).startsWith("cannot decode value");
        assertThat(letters.get(1).getError()).contains("commandId is blank");
        assertThat(events.isEmpty()).isTrue();
    }

    @Test
    void shouldAnswerAMalformedCommandAsInvalidWithoutChangingThePayment() {
        record(authorized("pay_1", 100_00, T0, RiskAction.APPROVE));

        CommandResult noOperation =
                send(command("pay_1", PaymentCommandType.CAPTURE, null, 10_00L));
        PaymentEvent captureAsFact =
                PaymentEvent.newBuilder(authorized("pay_1", 10_00, T0, RiskAction.APPROVE))
                        .setEventId("x")
                        .setType(PaymentEventType.CAPTURED)
                        .build();
        CommandResult capturedAsFact = record(captureAsFact);

        assertThat(noOperation.getOutcome()).isEqualTo(CommandOutcome.INVALID);
        assertThat(noOperation.getDetail()).contains("operation id");
        assertThat(capturedAsFact.getInvariant()).isEqualTo("NOT_RECORDABLE");
        assertThat(events.readValuesToList()).hasSize(1);
    }

    /**
     * Random commands for many payments, each command sent once or twice, through the topology:
     * every snapshot is the fold of the events written for its payment, each event is written once,
     * and the balances of all events equal the sums of the final snapshots.
     */
    @Test
    void shouldKeepEverySnapshotEqualToTheFoldOfItsEventsUnderRandomDuplicatedCommands() {
        Random r = new Random(42);
        String[] types = {"CAPTURE", "CAPTURE", "REFUND", "VOID", "OPEN_CHARGEBACK", "WIN", "LOSE"};
        List<PaymentCommand> sent = new ArrayList<>();
        for (int p = 0; p < 40; p++) {
            String id = "pay_" + p;
            record(authorized(id, 1 + r.nextInt(500_00), T0, RiskAction.APPROVE));
            for (int step = 0; step < 25; step++) {
                PaymentCommand c;
                if (!sent.isEmpty() && r.nextInt(4) == 0) {
                    c = sent.get(r.nextInt(sent.size())); // a retry, maybe of another payment
                } else {
                    String op = "op_" + r.nextInt(6);
                    Long amount = r.nextInt(4) == 0 ? null : (long) r.nextInt(300_00) - 10;
                    c =
                            switch (types[r.nextInt(types.length)]) {
                                case "CAPTURE" ->
                                        command(id, PaymentCommandType.CAPTURE, op, amount);
                                case "REFUND" -> command(id, PaymentCommandType.REFUND, op, amount);
                                case "VOID" -> command(id, PaymentCommandType.VOID, null, null);
                                case "OPEN_CHARGEBACK" -> chargeback(id, op, amount, "10.4");
                                case "WIN" ->
                                        command(id, PaymentCommandType.WIN_CHARGEBACK, op, null);
                                default ->
                                        command(id, PaymentCommandType.LOSE_CHARGEBACK, op, null);
                            };
                    c.setRequestedAt(T0.plus(Duration.ofHours(step * 9L)));
                }
                sent.add(c);
                send(c);
            }
        }

        List<PaymentEvent> written = events.readValuesToList();
        Map<String, List<PaymentEvent>> perPayment = new HashMap<>();
        Balances balances = new Balances();
        for (PaymentEvent e : written) {
            perPayment.computeIfAbsent(e.getPaymentId(), k -> new ArrayList<>()).add(e);
            balances.apply(e);
        }
        assertThat(written.stream().map(PaymentEvent::getEventId).distinct().count())
                .as("every event is written once")
                .isEqualTo(written.size());
        Map<String, PaymentSnapshot> finalSnapshots = new HashMap<>();
        snapshots.readKeyValuesToList().forEach(kv -> finalSnapshots.put(kv.key, kv.value));
        long captured = 0;
        long refunded = 0;
        for (PaymentSnapshot s : finalSnapshots.values()) {
            PaymentState fold = PaymentState.of(perPayment.get(s.getPaymentId()));
            // (PaymentEvent.equals cannot compare the optional timestamp; the ids say the same)
            assertThat(s.getEvents())
                    .extracting(PaymentEvent::getEventId)
                    .isEqualTo(
                            perPayment.get(s.getPaymentId()).stream()
                                    .map(PaymentEvent::getEventId)
                                    .toList());
            assertThat(fold.violations()).isEmpty();
            assertThat(s.getCaptured())
                    .isEqualTo(fold.captured())
                    .isLessThanOrEqualTo(s.getAuthorized());
            assertThat(s.getRefunded() + s.getChargedBack()).isLessThanOrEqualTo(s.getCaptured());
            captured += s.getCaptured();
            refunded += s.getRefunded();
        }
        Balances.Totals totals = balances.of(MERCHANT, "EUR");
        assertThat(totals.captured()).isEqualTo(captured);
        assertThat(totals.refunded()).isEqualTo(refunded);
        assertThat(written.size()).as("the random commands moved money").isGreaterThan(100);
    }

    // ---- helpers ----

    private PaymentSnapshot lastSnapshot() {
        List<PaymentSnapshot> all = snapshots.readValuesToList();
        return all.get(all.size() - 1);
    }

    private CommandResult send(PaymentCommand c) {
        commands.pipeInput(c.getPaymentId(), c, c.getRequestedAt());
        List<CommandResult> answers = results.readValuesToList();
        assertThat(answers).hasSize(1);
        assertThat(answers.get(0).getCommandId()).isEqualTo(c.getCommandId());
        return answers.get(0);
    }

    private CommandResult record(PaymentEvent e) {
        return send(
                PaymentCommand.newBuilder(
                                command(e.getPaymentId(), PaymentCommandType.RECORD, null, null))
                        .setEvent(e)
                        .setRequestedAt(e.getEventTime())
                        .build());
    }

    private PaymentCommand capture(String paymentId, String op, Integer amount) {
        return command(
                paymentId, PaymentCommandType.CAPTURE, op, amount == null ? null : (long) amount);
    }

    private PaymentCommand chargeback(String paymentId, String op, Long amount, String reason) {
        return PaymentCommand.newBuilder(
                        command(paymentId, PaymentCommandType.OPEN_CHARGEBACK, op, amount))
                .setActor("provider:sim-a")
                .setReasonCode(reason)
                .build();
    }

    private PaymentCommand command(
            String paymentId, PaymentCommandType type, String op, Long amount) {
        return PaymentCommand.newBuilder()
                .setCommandId("cmd_" + ++commandCounter)
                .setPaymentId(paymentId)
                .setMerchantId(MERCHANT)
                .setType(type)
                .setOperationId(op)
                .setAmount(amount)
                .setActor("merchant:" + MERCHANT)
                .setRequestedAt(T0.plusSeconds(60))
                .setReplyPartition(0)
                .build();
    }

    private static PaymentEvent authorized(String id, long amount, Instant at, RiskAction action) {
        return PaymentEvent.newBuilder()
                .setEventId(id + ":authorization")
                .setPaymentId(id)
                .setMerchantId(MERCHANT)
                .setType(PaymentEventType.AUTHORIZED)
                .setAmount(amount)
                .setCurrency("EUR")
                .setInstrumentKey("card-" + id)
                .setPaymentMethod(PaymentMethodType.CARD)
                .setRiskAction(action)
                .setEventTime(at)
                .build();
    }
}
