package org.fraudplatform.offline.backfill;

import java.util.Optional;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fraudplatform.features.FeatureInputs;
import org.fraudplatform.features.FeatureOutcome;
import org.fraudplatform.risk.PaymentRequestChecks;
import org.fraudplatform.schemas.PaymentEvent;
import org.fraudplatform.schemas.PaymentRequest;
import org.fraudplatform.schemas.money.CurrencyRates;
import org.fraudplatform.schemas.serde.AvroSerde;
import org.fraudplatform.schemas.serde.SchemaRegistries;

/**
 * Reads the platform's own history from Kafka: {@code payments.requests} become payment rows,
 * declines and fraud chargebacks on {@code payments.events} become outcome rows (the same
 * translation the risk topology uses, amounts converted by the same rate table), every other ledger
 * event is no feature input and is skipped. A record that does not decode becomes a rejected row
 * with its position and the reason.
 *
 * <p>Topics carry no global arrival order across partitions, so a row's sequence is its event time:
 * within an entity the backfill sees its payments in event-time order.
 */
final class TopicHistory implements KafkaRecordDeserializationSchema<HistoryRow> {

    /** Which topic this reads. */
    enum Kind {
        REQUESTS,
        EVENTS
    }

    static final String REJECTED_KIND = "rejected";

    private final Kind kind;
    private final String schemaRegistryUrl;
    private final String progressId;
    private final CurrencyRates rates;
    private transient AvroSerde<PaymentRequest> requests;
    private transient AvroSerde<PaymentEvent> events;

    TopicHistory(Kind kind, String schemaRegistryUrl, String progressId, CurrencyRates rates) {
        this.kind = kind;
        this.rates = rates;
        this.schemaRegistryUrl = schemaRegistryUrl;
        this.progressId = progressId;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        var registry = SchemaRegistries.connect(schemaRegistryUrl);
        requests = AvroSerde.forValues(PaymentRequest.class, registry);
        events = AvroSerde.forValues(PaymentEvent.class, registry);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<HistoryRow> out) {
        BackfillProgress.add(progressId, BackfillProgress.LINES, 1);
        try {
            if (record.value() == null) {
                out.collect(rejected(record, "record has no value"));
                return;
            }
            if (kind == Kind.REQUESTS) {
                PaymentRequest request =
                        requests.deserializer().deserialize(record.topic(), record.value());
                Optional<String> problem = PaymentRequestChecks.problem(request, rates);
                if (problem.isPresent()) {
                    out.collect(rejected(record, "invalid value: " + problem.get()));
                    return;
                }
                HistoryRow row = HistoryRow.of(request, rates);
                row.sequence = row.timeMillis;
                out.collect(row);
                return;
            }
            PaymentEvent event = events.deserializer().deserialize(record.topic(), record.value());
            Optional<FeatureOutcome> outcome = FeatureInputs.outcome(event);
            if (outcome.isPresent()) {
                HistoryRow row = HistoryRow.of(outcome.get());
                row.sequence = row.timeMillis;
                out.collect(row);
            }
        } catch (RuntimeException e) {
            out.collect(rejected(record, "cannot decode value: " + e.getMessage()));
        }
    }

    private static HistoryRow rejected(ConsumerRecord<byte[], byte[]> record, String reason) {
        HistoryRow row = new HistoryRow();
        row.kind = REJECTED_KIND;
        row.transactionId = record.topic() + "/" + record.partition() + "@" + record.offset();
        row.problem = reason;
        return row;
    }

    @Override
    public TypeInformation<HistoryRow> getProducedType() {
        return TypeInformation.of(HistoryRow.class);
    }
}
