package org.fraudplatform.platform.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.fraudplatform.dev.embedded.EmbeddedKafka;
import org.fraudplatform.providers.AuthorizationCall;
import org.fraudplatform.providers.JournalEntry;
import org.fraudplatform.providers.ProviderResult;
import org.fraudplatform.providers.SimulatedProvider;
import org.fraudplatform.schemas.PaymentEvent;
import org.fraudplatform.schemas.PaymentEventType;
import org.fraudplatform.schemas.PaymentMethodType;
import org.fraudplatform.schemas.serde.InMemorySchemaRegistry;
import org.fraudplatform.schemas.topics.Topic;
import org.fraudplatform.schemas.topics.Topics;
import org.fraudplatform.workers.ProviderDispatcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider dispatcher against a real broker, through a provider outage three times longer than
 * its {@code max.poll.interval.ms}: it keeps polling with its partitions paused, so the group keeps
 * it, the thread lives on, and once the provider is back each capture reaches it exactly once.
 */
class ProviderDispatcherIT {

    @TempDir Path dir;

    @Test
    void shouldOutliveAProviderOutageLongerThanItsPollIntervalAndCaptureOnce() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
                SimulatedProvider provider =
                        new SimulatedProvider(
                                SimulatedProvider.Settings.of("sim")
                                        .withLatency(Duration.ofMillis(1), 0))) {
            Topic<String, PaymentEvent> events =
                    Topics.create(InMemorySchemaRegistry.inMemory(), 1).paymentEvents();
            try (Admin admin =
                    Admin.create(
                            Map.of(
                                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                    kafka.bootstrapServers()))) {
                admin.createTopics(
                                List.of(
                                        new NewTopic(
                                                events.name(), Optional.of(1), Optional.empty())))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            String first = authorize(provider, "pay_1");
            String second = authorize(provider, "pay_2");
            provider.setAvailable(false);

            try (KafkaProducer<String, PaymentEvent> producer = producer(kafka, events);
                    ProviderDispatcher dispatcher =
                            new ProviderDispatcher(
                                    org.fraudplatform.runtime.KafkaConnection.plain(
                                            kafka.bootstrapServers()),
                                    events,
                                    provider,
                                    Duration.ofMillis(200),
                                    Duration.ofSeconds(1),
                                    Duration.ofSeconds(2))) {
                dispatcher.start();
                producer.send(capture(events, "pay_1", first)).get(10, TimeUnit.SECONDS);

                Thread.sleep(6_000); // three poll intervals without the provider
                assertThat(dispatcher.isAlive()).isTrue();
                assertThat(dispatcher.dispatched()).isZero();

                provider.setAvailable(true);
                await(() -> dispatcher.dispatched() == 1, Duration.ofSeconds(20));
                producer.send(capture(events, "pay_2", second)).get(10, TimeUnit.SECONDS);
                await(() -> dispatcher.dispatched() == 2, Duration.ofSeconds(20));

                assertThat(dispatcher.restarts()).as("the loop never had to start again").isZero();
                assertThat(dispatcher.isAlive()).isTrue();
            }
            assertThat(provider.journal())
                    .filteredOn(e -> e.operation() == JournalEntry.Operation.CAPTURE)
                    .extracting(JournalEntry::paymentId)
                    .containsExactly("pay_1", "pay_2");
        }
    }

    private static String authorize(SimulatedProvider provider, String paymentId) throws Exception {
        ProviderResult r =
                provider.authorize(
                                new AuthorizationCall(
                                        paymentId,
                                        1_000,
                                        "EUR",
                                        new AuthorizationCall.CardMethod(
                                                ClusterFailoverIT.cardNumber(1), 12, 2035)))
                        .get(10, TimeUnit.SECONDS);
        assertThat(r.outcome()).isEqualTo(ProviderResult.Outcome.APPROVED);
        return r.reference();
    }

    private static ProducerRecord<String, PaymentEvent> capture(
            Topic<String, PaymentEvent> events, String paymentId, String reference) {
        return new ProducerRecord<>(
                events.name(),
                paymentId,
                PaymentEvent.newBuilder()
                        .setEventId(paymentId + ":capture:CAPTURED")
                        .setPaymentId(paymentId)
                        .setMerchantId("m1")
                        .setType(PaymentEventType.CAPTURED)
                        .setAmount(1_000)
                        .setCurrency("EUR")
                        .setInstrumentKey("card-1")
                        .setPaymentMethod(PaymentMethodType.CARD)
                        .setOperationId("capture")
                        .setProvider("sim")
                        .setProviderReference(reference)
                        .setEventTime(Instant.now())
                        .build());
    }

    private static KafkaProducer<String, PaymentEvent> producer(
            EmbeddedKafka kafka, Topic<String, PaymentEvent> events) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return new KafkaProducer<>(
                p, events.keySerde().serializer(), events.valueSerde().serializer());
    }

    private static void await(BooleanSupplier condition, Duration patience)
            throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("in time").isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
