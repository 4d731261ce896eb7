package org.fraudplatform.risk;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.fraudplatform.features.Entity;
import org.fraudplatform.features.FeatureCatalogue;
import org.fraudplatform.features.FeatureInputs;
import org.fraudplatform.features.FeaturePayment;
import org.fraudplatform.schemas.FeatureEntity;
import org.fraudplatform.schemas.FeatureUpdate;
import org.fraudplatform.schemas.PaymentRequest;
import org.fraudplatform.schemas.PendingDecision;
import org.fraudplatform.schemas.topics.Keys;

/**
 * First step of a decision: parks the request in the join's store and asks every entity it names
 * for its features.
 *
 * <p>Input: valid {@link PaymentRequest}s from partition p of {@code payments.requests}. Output:
 * one {@link FeatureUpdate} per entity the payment names (card, customer, email, IP, device,
 * merchant), keyed {@code <entity>:<key>}, each carrying p so the features come back to this task.
 * An entity whose state lives on p ({@link EntityPartitioner}: always the card, which keys the
 * request) is asked in place, by forwarding the update to {@link RiskTopology#ENTITY_FEATURES} of
 * this task; the others through {@code risk.feature-updates}. The payment waits in {@link Parking}
 * while the entities on this partition answer; one still waiting for other partitions is then
 * written to {@link RiskTopology#PENDING_STORE} (payment id → {@link PendingDecision}) before this
 * call returns, so no part from the topic can arrive for a payment the join does not know.
 */
final class FeatureFanOut implements Processor<String, PaymentRequest, String, FeatureUpdate> {

    private final RiskSettings settings;
    private final int partitions;
    private final Parking parking;
    private ProcessorContext<String, FeatureUpdate> context;
    private KeyValueStore<String, PendingDecision> pending;

    /**
     * @param partitions the partitions of {@code payments.requests} and {@code
     *     risk.feature-updates} (co-partitioned): where each entity's state lives
     */
    FeatureFanOut(RiskSettings settings, int partitions, Parking parking) {
        this.settings = settings;
        this.partitions = partitions;
        this.parking = parking;
    }

    @Override
    public void init(ProcessorContext<String, FeatureUpdate> context) {
        this.context = context;
        this.pending = context.getStateStore(RiskTopology.PENDING_STORE);
    }

    @Override
    public void close() {
        parking.release(context.taskId());
    }

    @Override
    public void process(Record<String, PaymentRequest> record) {
        PaymentRequest request = record.value();
        FeatureCatalogue catalogue = settings.catalogue();
        FeaturePayment payment =
                FeatureInputs.payment(
                        request, Keys.instrumentKey(request), settings.currencyRates());
        int partition = context.recordMetadata().map(RecordMetadata::partition).orElse(0);
        Long offset =
                context.recordMetadata()
                        .map(RecordMetadata::offset)
                        .filter(o -> o >= 0)
                        .orElse(null);

        List<Entity> named = new ArrayList<>();
        for (Entity entity : catalogue.entities()) {
            if (entity.keyOf(payment) != null) {
                named.add(entity);
            }
        }
        List<FeatureEntity> expected = named.stream().map(FeatureInputs::contract).toList();
        parking.open(
                context.taskId(),
                request.getPaymentId(),
                PendingDecision.newBuilder()
                        .setRequest(request)
                        .setExpected(expected)
                        .setArrived(new ArrayList<>())
                        .setFeatures(new HashMap<>())
                        .setProblems(new ArrayList<>())
                        .setStartedAtMicros(nowMicros())
                        .setTimeoutAtMillis(
                                context.currentSystemTimeMs()
                                        + settings.featureTimeout().toMillis())
                        .build());
        int here = context.taskId().partition();
        for (Entity entity : named) {
            String key = entity.keyOf(payment);
            context.forward(
                    record.withKey(entity.stateKey(key))
                            .withValue(
                                    FeatureInputs.update(payment, entity, key, partition, offset)),
                    EntityPartitioner.partitionOf(key, partitions) == here
                            ? RiskTopology.ENTITY_FEATURES
                            : RiskTopology.UPDATES_SINK);
        }
        parking.close(context.taskId(), request.getPaymentId(), pending);
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
