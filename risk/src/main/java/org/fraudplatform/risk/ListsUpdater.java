package org.fraudplatform.risk;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.fraudplatform.schemas.ListEntry;
import org.fraudplatform.schemas.topics.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global lists store (every instance holds every list) from {@code rules.lists}: an entry
 * stores its expiry under {@code <list>:<value>}, a tombstone removes it. A record that does not
 * decode is logged with its position and skipped; the lists keep their last good state.
 */
final class ListsUpdater implements Processor<String, byte[], Void, Void> {

    private static final Logger log = LoggerFactory.getLogger(ListsUpdater.class);

    private final Deserializer<ListEntry> entries;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, byte[]> store;

    ListsUpdater(Deserializer<ListEntry> entries) {
        this.entries = entries;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.store = context.getStateStore(RiskTopology.LISTS_STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() == null) {
            log.error("skipped a {} record without key at {}", Topics.LISTS, position());
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
            return;
        }
        try {
            ListEntry entry = entries.deserialize(Topics.LISTS, record.value());
            Long expires =
                    entry.getExpiresAt() == null ? null : entry.getExpiresAt().toEpochMilli();
            store.put(
                    StoreLists.key(entry.getList(), entry.getValue()), StoreLists.expiry(expires));
        } catch (RuntimeException e) {
            log.error(
                    "skipped an unreadable {} record at {}: {}",
                    Topics.LISTS,
                    position(),
                    e.getMessage());
        }
    }

    private String position() {
        return context.recordMetadata()
                .map(m -> m.topic() + "/" + m.partition() + "@" + m.offset())
                .orElse("?");
    }
}
