package org.fraudplatform.risk;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.fraudplatform.runtime.AuditLog;
import org.fraudplatform.runtime.KafkaConnection;
import org.fraudplatform.runtime.TopicIo;
import org.fraudplatform.schemas.ListEntry;
import org.fraudplatform.schemas.cards.CardNumberDetector;
import org.fraudplatform.schemas.topics.Topics;

/**
 * The block and allow lists on {@code rules.lists}: add (with a note and an optional expiry),
 * remove (a tombstone), show; every change is written to {@code audit.events}. A value of 13 to 19
 * digits is refused (card lists hold instrument tokens), and so are a value or a note holding a
 * card number ({@link CardNumberDetector}), whoever adds them: the command line, the console or
 * HTTP.
 */
public final class ListEntries implements AutoCloseable {

    private static final Pattern LIST_NAME = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Pattern CARD_NUMBER = Pattern.compile("\\d{13,19}");
    private static final String NOT_A_CARD_NUMBER =
            "that looks like a card number: card lists hold instrument tokens, never numbers";

    private final KafkaConnection kafka;
    private final Topics topics;
    private final KafkaProducer<String, ListEntry> producer;
    private final AuditLog audit;

    public ListEntries(KafkaConnection kafka, Topics topics) {
        this.kafka = kafka;
        this.topics = topics;
        this.producer = TopicIo.producer(kafka, topics.lists());
        this.audit = new AuditLog(kafka, topics.audit());
    }

    /** Puts a value on a list. */
    public ListEntry add(String list, String value, String note, String author, Duration expiresIn)
            throws InterruptedException, ExecutionException, TimeoutException {
        check(list, value);
        if (CardNumberDetector.contains(value)) {
            throw new IllegalArgumentException(NOT_A_CARD_NUMBER);
        }
        if (CardNumberDetector.contains(note)) {
            throw new IllegalArgumentException("the note " + CardNumberDetector.REFUSAL);
        }
        Instant now = Instant.now();
        ListEntry entry =
                ListEntry.newBuilder()
                        .setList(list)
                        .setValue(value)
                        .setNote(note)
                        .setAuthor(author)
                        .setAddedAt(now)
                        .setExpiresAt(expiresIn == null ? null : now.plus(expiresIn))
                        .build();
        producer.send(new ProducerRecord<>(topics.lists().name(), key(list, value), entry))
                .get(30, TimeUnit.SECONDS);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("note", note);
        details.put(
                "expires",
                entry.getExpiresAt() == null ? "never" : entry.getExpiresAt().toString());
        audit.record(author, "list.add", "list:" + key(list, value), now, details);
        return entry;
    }

    /** Takes a value off a list. */
    public void remove(String list, String value, String author)
            throws InterruptedException, ExecutionException, TimeoutException {
        check(list, value);
        producer.send(new ProducerRecord<>(topics.lists().name(), key(list, value), null))
                .get(30, TimeUnit.SECONDS);
        audit.record(author, "list.remove", "list:" + key(list, value), Instant.now(), Map.of());
    }

    /** Every entry now on the lists (removed ones left out; expired ones shown as such). */
    public List<ListEntry> show() {
        Map<String, ListEntry> current = new LinkedHashMap<>();
        for (ConsumerRecord<String, ListEntry> r : TopicIo.readAll(kafka, topics.lists())) {
            if (r.value() == null) {
                current.remove(r.key());
            } else {
                current.put(r.key(), r.value());
            }
        }
        return new ArrayList<>(current.values());
    }

    /**
     * Every change to the lists, oldest first, with its time (as far as the compacted topic still
     * remembers): what a back-test builds the lists through time from.
     */
    public List<ConsumerRecord<String, ListEntry>> changes() {
        return TopicIo.readAll(kafka, topics.lists());
    }

    private static void check(String list, String value) {
        if (list == null || !LIST_NAME.matcher(list).matches()) {
            throw new IllegalArgumentException(
                    "a list name is snake_case, like blocked_ips: " + list);
        }
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the value is empty");
        }
        if (CARD_NUMBER.matcher(value.replace(" ", "")).matches()) {
            throw new IllegalArgumentException(NOT_A_CARD_NUMBER);
        }
    }

    private static String key(String list, String value) {
        return list + ":" + value;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        audit.close();
    }
}
