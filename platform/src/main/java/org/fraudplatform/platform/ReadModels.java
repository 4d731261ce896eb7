package org.fraudplatform.platform;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.fraudplatform.api.audit.AuditWriter;
import org.fraudplatform.database.Database;
import org.fraudplatform.database.projection.ProjectionWriter;
import org.fraudplatform.database.projection.Projector;
import org.fraudplatform.database.projection.Quarantine;
import org.fraudplatform.history.DecisionWriter;
import org.fraudplatform.history.HistoryWriter;
import org.fraudplatform.history.LabelWriter;
import org.fraudplatform.history.LinkWriter;
import org.fraudplatform.reconciliation.ReconciliationWriter;
import org.fraudplatform.runtime.KafkaConnection;
import org.fraudplatform.schemas.DeadLetter;
import org.fraudplatform.schemas.topics.Topic;
import org.fraudplatform.schemas.topics.Topics;

/**
 * The history role: every read model the API and the console query, projected from its topic into
 * PostgreSQL exactly once ({@link Projector}): the payment history ({@code payments.snapshots}),
 * the console's decisions, payment links and labels, the reconciliation items and the audit trail.
 * Off the payment path: a deployment runs it in a process of its own ({@code --role history}), so
 * that the API's cores serve payments; the embedded platform runs it beside everything else.
 *
 * <p>The payment history is projected within about 100 ms, since a merchant may read a payment
 * right after changing it; the others fill their batches for up to 500 ms ({@link
 * Projector#RELAXED}). A record no projection can ever apply goes to {@code payments.dlq} with the
 * reason.
 */
final class ReadModels implements AutoCloseable {

    private final Deque<AutoCloseable> parts = new ArrayDeque<>();
    private final Map<String, Projector<?>> projectors = new LinkedHashMap<>();

    private ReadModels() {}

    static ReadModels start(
            org.fraudplatform.api.PaymentApi.DatabaseAddress database,
            KafkaConnection kafka,
            Topics topics,
            MeterRegistry metrics) {
        ReadModels models = new ReadModels();
        try {
            Database db =
                    Database.connect(database.jdbcUrl(), database.user(), database.password(), 8);
            models.parts.push(db);
            var dataSource = db.dataSource();
            Properties props = new Properties();
            props.putAll(kafka.map());
            props.put(ProducerConfig.CLIENT_ID_CONFIG, "history-dead-letters");
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            KafkaProducer<byte[], DeadLetter> deadLetters =
                    new KafkaProducer<>(
                            props,
                            topics.deadLetters().keySerde().serializer(),
                            topics.deadLetters().valueSerde().serializer());
            models.parts.push(() -> deadLetters.close(Duration.ofSeconds(5)));
            Quarantine quarantine =
                    new Quarantine(deadLetters, topics.deadLetters().name(), Clock.systemUTC());
            FunctionCounter.builder(
                            "projection_records_quarantined", quarantine, Quarantine::quarantined)
                    .description(
                            "Records a read-model projection could never apply, sent to the"
                                    + " dead-letter topic")
                    .register(metrics);
            models.project(
                    "history-projection",
                    kafka,
                    topics.paymentSnapshots(),
                    new HistoryWriter(dataSource),
                    quarantine,
                    Projector.FRESH);
            models.project(
                    "decisions-projection",
                    kafka,
                    topics.paymentDecisions(),
                    new DecisionWriter(dataSource),
                    quarantine,
                    Projector.RELAXED);
            models.project(
                    "links-projection",
                    kafka,
                    topics.paymentRequests(),
                    new LinkWriter(dataSource),
                    quarantine,
                    Projector.RELAXED);
            models.project(
                    "labels-projection",
                    kafka,
                    topics.labels(),
                    new LabelWriter(dataSource),
                    quarantine,
                    Projector.RELAXED);
            models.project(
                    "reconciliation-projection",
                    kafka,
                    topics.reconciliationItems(),
                    new ReconciliationWriter(dataSource),
                    quarantine,
                    Projector.RELAXED);
            models.project(
                    "audit-projection",
                    kafka,
                    topics.audit(),
                    new AuditWriter(dataSource),
                    quarantine,
                    Projector.RELAXED);
            return models;
        } catch (RuntimeException e) {
            models.close();
            throw e;
        }
    }

    private <V> void project(
            String name,
            KafkaConnection kafka,
            Topic<String, V> topic,
            ProjectionWriter<V> writer,
            Quarantine quarantine,
            Duration batchWait) {
        Projector<V> projector = new Projector<>(kafka, topic, writer, quarantine, batchWait);
        parts.push(projector);
        projectors.put(name, projector);
        projector.start();
    }

    /** Each projection: positioned on its topic and polling. */
    Map<String, Boolean> readiness() {
        Map<String, Boolean> checks = new LinkedHashMap<>();
        projectors.forEach((name, p) -> checks.put(name, p.isReady()));
        return checks;
    }

    /** Each projection's thread still runs (a stopped one needs the process restarted). */
    Map<String, Boolean> liveness() {
        Map<String, Boolean> checks = new LinkedHashMap<>();
        projectors.forEach((name, p) -> checks.put(name, p.health().isAlive()));
        return checks;
    }

    @Override
    public void close() {
        while (!parts.isEmpty()) {
            try {
                parts.pop().close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(ReadModels.class)
                        .warn("stopping a read-model projection failed", e);
            }
        }
    }
}
