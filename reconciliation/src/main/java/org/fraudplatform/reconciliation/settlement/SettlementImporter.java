package org.fraudplatform.reconciliation.settlement;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.fraudplatform.runtime.KafkaConnection;
import org.fraudplatform.runtime.TopicIo;
import org.fraudplatform.runtime.metrics.DomainMetrics;
import org.fraudplatform.schemas.DeadLetter;
import org.fraudplatform.schemas.SettlementFile;
import org.fraudplatform.schemas.SettlementRecord;
import org.fraudplatform.schemas.topics.Topics;

/**
 * Imports providers' settlement reports: parses and validates a file ({@link
 * SettlementReportFile}), and publishes in one Kafka transaction its valid rows to {@code
 * settlements.records}, each malformed row with its line and reason to {@code
 * settlements.quarantine}, and the file's record to {@code settlements.files}. A file whose content
 * was imported before (same hash) is recognised and not published again; the reconciliation ignores
 * a row it has seen in any case.
 */
public final class SettlementImporter implements AutoCloseable {

    /** What an import did. */
    public record Result(
            String fileHash,
            String fileName,
            int rows,
            int quarantined,
            boolean alreadyImported,
            SettlementReportFile.ParsedReport report,
            SettlementFile previous,
            double seconds) {}

    private final KafkaConnection kafka;
    private final Topics topics;
    private final Clock clock;
    private final KafkaProducer<byte[], byte[]> producer;

    public SettlementImporter(KafkaConnection kafka, Topics topics, Clock clock) {
        this.kafka = kafka;
        this.topics = topics;
        this.clock = clock;
        Properties p = new Properties();
        p.putAll(kafka.map());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "settlement-import-" + UUID.randomUUID());
        this.producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        producer.initTransactions();
    }

    /**
     * Imports one file.
     *
     * @throws IllegalArgumentException when the file is not a settlement report at all (its header
     *     is wrong); nothing is published then
     */
    public Result importFile(Path file, String importedBy) throws IOException {
        long started = System.nanoTime();
        byte[] content = Files.readAllBytes(file);
        Instant now = clock.instant();
        SettlementReportFile.ParsedReport report =
                SettlementReportFile.parse(file.getFileName().toString(), content, now);
        Optional<SettlementFile> previous = imported(report.fileHash());
        if (previous.isPresent()) {
            return new Result(
                    report.fileHash(),
                    report.fileName(),
                    0,
                    0,
                    true,
                    report,
                    previous.get(),
                    (System.nanoTime() - started) / 1e9);
        }
        var records = topics.settlementRecords();
        var quarantine = topics.settlementQuarantine();
        var files = topics.settlementFiles();
        producer.beginTransaction();
        try {
            for (SettlementRecord r : report.rows()) {
                producer.send(
                        new ProducerRecord<>(
                                records.name(),
                                bytes(r.getPaymentId()),
                                records.valueSerde().serializer().serialize(records.name(), r)));
            }
            for (SettlementReportFile.Quarantined q : report.quarantined()) {
                DeadLetter letter =
                        DeadLetter.newBuilder()
                                .setTopic("file:" + report.fileName())
                                .setPartition(-1)
                                .setOffset(q.line())
                                .setValue(java.nio.ByteBuffer.wrap(bytes(q.raw())))
                                .setProcessor("settlement-import")
                                .setError("line " + q.line() + ": " + q.reason())
                                .setFailedAt(now)
                                .build();
                producer.send(
                        new ProducerRecord<>(
                                quarantine.name(),
                                bytes(report.fileHash() + ":" + q.line()),
                                quarantine
                                        .valueSerde()
                                        .serializer()
                                        .serialize(quarantine.name(), letter)));
                DomainMetrics.deadLettered(letter);
            }
            SettlementFile imported =
                    SettlementFile.newBuilder()
                            .setFileHash(report.fileHash())
                            .setFileName(report.fileName())
                            .setProvider(report.provider())
                            .setSettlementDate(report.settlementDate())
                            .setRows(report.rows().size())
                            .setQuarantined(report.quarantined().size())
                            .setImportedBy(importedBy)
                            .setImportedAt(now)
                            .build();
            producer.send(
                    new ProducerRecord<>(
                            files.name(),
                            bytes(report.fileHash()),
                            files.valueSerde().serializer().serialize(files.name(), imported)));
            producer.commitTransaction();
        } catch (RuntimeException e) {
            producer.abortTransaction();
            throw e;
        }
        return new Result(
                report.fileHash(),
                report.fileName(),
                report.rows().size(),
                report.quarantined().size(),
                false,
                report,
                null,
                (System.nanoTime() - started) / 1e9);
    }

    /** The import of the file with this content hash, if there was one. */
    public Optional<SettlementFile> imported(String fileHash) {
        SettlementFile found = null;
        for (var r : TopicIo.readAll(kafka, topics.settlementFiles())) {
            if (fileHash.equals(r.key()) && r.value() != null) {
                found = r.value();
            }
        }
        return Optional.ofNullable(found);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
