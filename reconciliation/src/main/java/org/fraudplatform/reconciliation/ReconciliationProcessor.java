package org.fraudplatform.reconciliation;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.fraudplatform.runtime.metrics.DomainMetrics;
import org.fraudplatform.schemas.AuditEvent;
import org.fraudplatform.schemas.DeadLetter;
import org.fraudplatform.schemas.PaymentEvent;
import org.fraudplatform.schemas.PaymentEventType;
import org.fraudplatform.schemas.ReconciliationCategory;
import org.fraudplatform.schemas.ReconciliationItem;
import org.fraudplatform.schemas.ReconciliationResolution;
import org.fraudplatform.schemas.ReconciliationStatus;
import org.fraudplatform.schemas.ReconciliationStep;
import org.fraudplatform.schemas.SettlementRecord;
import org.fraudplatform.schemas.SettlementType;

/**
 * Keeps one {@link ReconciliationItem} per money movement ({@code <payment id>/<operation id>}) and
 * re-classifies it ({@link Matching}) whenever a side arrives, its window passes or an analyst
 * resolves it; every change goes out on {@code reconciliation.items} with a step in its history.
 *
 * <p>Inputs, all keyed by payment id (co-partitioned, so a payment's items live in one task): the
 * ledger's {@code payments.events} (captures and refunds at a provider become the ledger side;
 * every event marks the payment as known), {@code settlements.records} (a row id seen before, from
 * a file imported again, changes nothing), {@code reconciliation.resolutions}. A wall-clock
 * punctuation closes the windows through an index ordered by deadline.
 */
final class ReconciliationProcessor implements Processor<String, Object, Object, Object> {

    private static final int CLOSES_PER_SCAN = 10_000;

    private final ReconciliationSettings settings;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, ReconciliationItem> items;
    private KeyValueStore<String, PaymentEvent> payments;
    private KeyValueStore<Bytes, byte[]> deadlines;

    ReconciliationProcessor(ReconciliationSettings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.items = context.getStateStore(ReconciliationTopology.ITEMS_STORE);
        this.payments = context.getStateStore(ReconciliationTopology.PAYMENTS_STORE);
        this.deadlines = context.getStateStore(ReconciliationTopology.DEADLINES_STORE);
        context.schedule(
                settings.scan(),
                PunctuationType.WALL_CLOCK_TIME,
                now -> closeDue(Instant.ofEpochMilli(now)));
    }

    @Override
    public void process(Record<String, Object> record) {
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        Object value = record.value();
        if (value instanceof PaymentEvent e) {
            ledger(e, now);
        } else if (value instanceof SettlementRecord r) {
            settlement(r, now);
        } else if (value instanceof ReconciliationResolution r) {
            resolve(r, record, now);
        }
    }

    private void ledger(PaymentEvent e, Instant now) {
        boolean firstSeen = payments.get(e.getPaymentId()) == null;
        payments.put(e.getPaymentId(), e);
        boolean movement =
                (e.getType() == PaymentEventType.CAPTURED
                                || e.getType() == PaymentEventType.REFUNDED)
                        && e.getProviderReference() != null
                        && e.getOperationId() != null;
        if (movement) {
            String id = itemId(e.getPaymentId(), e.getOperationId());
            ReconciliationItem item = items.get(id);
            if (item == null || item.getLedgerAt() == null) {
                ReconciliationItem.Builder b =
                        item == null
                                ? newItem(
                                        e.getPaymentId(),
                                        e.getOperationId(),
                                        e.getType() == PaymentEventType.REFUNDED
                                                ? SettlementType.REFUND
                                                : SettlementType.CAPTURE,
                                        day(e.getEventTime()),
                                        now)
                                : ReconciliationItem.newBuilder(item);
                b.setMerchantId(e.getMerchantId())
                        .setProvider(b.getProvider() == null ? e.getProvider() : b.getProvider())
                        .setLedgerAmount(e.getAmount())
                        .setLedgerCurrency(e.getCurrency())
                        .setLedgerAt(e.getEventTime());
                update(
                        item,
                        b,
                        true,
                        now,
                        "ledger "
                                + e.getType().name().toLowerCase(java.util.Locale.ROOT)
                                + " "
                                + money(e.getAmount(), e.getCurrency()));
            }
        }
        if (firstSeen) {
            // rows that arrived before the ledger knew the payment now compare against a known one
            for (ReconciliationItem other : itemsOf(e.getPaymentId())) {
                if (other.getLedgerAt() == null
                        && other.getStatus() == ReconciliationStatus.EXCEPTION) {
                    update(
                            other,
                            ReconciliationItem.newBuilder(other).setMerchantId(e.getMerchantId()),
                            true,
                            now,
                            "the ledger now knows the payment");
                }
            }
        }
    }

    private void settlement(SettlementRecord r, Instant now) {
        String id = itemId(r.getPaymentId(), r.getOperationId());
        ReconciliationItem item = items.get(id);
        if (item != null && item.getSettlementRows().contains(r.getRowId())) {
            return; // the same row again: its file was imported twice
        }
        ReconciliationItem.Builder b =
                item == null
                        ? newItem(
                                r.getPaymentId(),
                                r.getOperationId(),
                                r.getType(),
                                r.getSettlementDate(),
                                now)
                        : ReconciliationItem.newBuilder(item);
        List<String> rows = new ArrayList<>(b.getSettlementRows());
        rows.add(r.getRowId());
        b.setSettlementRows(rows).setFee(b.getFee() + r.getFee()).setDay(r.getSettlementDate());
        if (rows.size() == 1) {
            b.setSettledAmount(r.getAmount()).setSettledCurrency(r.getCurrency());
        }
        if (b.getProvider() == null) {
            b.setProvider(r.getProvider());
        }
        update(
                item,
                b,
                true,
                now,
                "settlement row "
                        + r.getFileName()
                        + ":"
                        + r.getLine()
                        + " "
                        + money(r.getAmount(), r.getCurrency()));
    }

    private void resolve(ReconciliationResolution r, Record<String, Object> record, Instant now) {
        ReconciliationItem item = items.get(r.getItemId());
        if (item == null
                || item.getStatus() == ReconciliationStatus.MATCHED
                || item.getStatus() == ReconciliationStatus.OPEN) {
            String why =
                    item == null
                            ? "no reconciliation item " + r.getItemId()
                            : r.getItemId()
                                    + " is "
                                    + item.getStatus().name().toLowerCase(java.util.Locale.ROOT)
                                    + ", not an exception";
            DeadLetter letter =
                    DeadLetter.newBuilder()
                            .setTopic(
                                    org.fraudplatform.schemas.topics.Topics
                                            .RECONCILIATION_RESOLUTIONS)
                            .setPartition(-1)
                            .setOffset(-1)
                            .setProcessor(ReconciliationTopology.RECONCILE)
                            .setError("resolution refused: " + why)
                            .setFailedAt(now)
                            .build();
            DomainMetrics.deadLettered(letter);
            context.forward(
                    record.<Object>withKey(r.getItemId().getBytes(StandardCharsets.UTF_8))
                            .<Object>withValue(letter),
                    ReconciliationTopology.DEAD_LETTERS_SINK);
            return;
        }
        ReconciliationItem.Builder b =
                ReconciliationItem.newBuilder(item)
                        .setStatus(ReconciliationStatus.RESOLVED)
                        .setResolvedBy(r.getResolvedBy())
                        .setResolution(r.getNote());
        update(item, b, false, now, "resolved by " + r.getResolvedBy() + ": " + r.getNote());
        context.forward(
                record.<Object>withKey(item.getItemId())
                        .<Object>withValue(
                                AuditEvent.newBuilder()
                                        .setEventId(UUID.randomUUID().toString())
                                        .setAt(r.getAt())
                                        .setActor(r.getResolvedBy())
                                        .setAction("reconciliation.resolve")
                                        .setSubject(item.getItemId())
                                        .setDetails(
                                                Map.of(
                                                        "category",
                                                        item.getCategory().name(),
                                                        "note",
                                                        r.getNote()))
                                        .build()),
                ReconciliationTopology.AUDIT_SINK);
    }

    /** Closes the windows due at {@code now}: their items become exceptions. */
    void closeDue(Instant now) {
        List<Bytes> due = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = deadlines.all()) {
            while (it.hasNext() && due.size() < CLOSES_PER_SCAN) {
                KeyValue<Bytes, byte[]> next = it.next();
                if (ByteBuffer.wrap(next.key.get()).getLong() > now.toEpochMilli()) {
                    break;
                }
                due.add(next.key);
            }
        }
        for (Bytes key : due) {
            deadlines.delete(key);
            String id =
                    new String(
                            key.get(),
                            Long.BYTES,
                            key.get().length - Long.BYTES,
                            StandardCharsets.UTF_8);
            ReconciliationItem item = items.get(id);
            if (item != null && item.getStatus() == ReconciliationStatus.OPEN) {
                update(
                        item,
                        ReconciliationItem.newBuilder(item),
                        true,
                        now,
                        "the window of " + settings.window() + " passed");
            }
        }
    }

    /**
     * Re-classifies (when {@code classify}) and stores the item; forwards it with a history step
     * when its status, category or content changed.
     */
    private void update(
            ReconciliationItem before,
            ReconciliationItem.Builder b,
            boolean classify,
            Instant now,
            String note) {
        if (classify) {
            ReconciliationItem draft = b.build();
            ReconciliationCategory category =
                    Matching.category(draft, payments.get(draft.getPaymentId()) != null, now);
            b.setCategory(category).setStatus(Matching.status(category, draft.getStatus()));
        }
        List<ReconciliationStep> history = new ArrayList<>(b.getHistory());
        history.add(
                ReconciliationStep.newBuilder()
                        .setAt(now)
                        .setStatus(b.getStatus())
                        .setCategory(b.getCategory())
                        .setNote(note)
                        .build());
        ReconciliationItem after = b.setHistory(history).setUpdatedAt(now).build();
        items.put(after.getItemId(), after);
        if (before == null || before.getCategory() != after.getCategory()) {
            DomainMetrics.reconciliationItem(after.getCategory().name());
        }
        if (after.getStatus() == ReconciliationStatus.OPEN
                && (before == null || before.getStatus() != ReconciliationStatus.OPEN)) {
            deadlines.put(deadlineKey(after.getOpenUntil(), after.getItemId()), new byte[0]);
        }
        context.forward(
                new Record<Object, Object>(after.getItemId(), after, now.toEpochMilli()),
                ReconciliationTopology.ITEMS_SINK);
    }

    private ReconciliationItem.Builder newItem(
            String paymentId, String operationId, SettlementType type, String day, Instant now) {
        return ReconciliationItem.newBuilder()
                .setItemId(itemId(paymentId, operationId))
                .setPaymentId(paymentId)
                .setOperationId(operationId)
                .setType(type)
                .setDay(day)
                .setStatus(ReconciliationStatus.OPEN)
                .setCategory(ReconciliationCategory.AWAITING_SETTLEMENT)
                .setOpenUntil(now.plus(settings.window()))
                .setHistory(new ArrayList<>())
                .setSettlementRows(new ArrayList<>())
                .setUpdatedAt(now);
    }

    private List<ReconciliationItem> itemsOf(String paymentId) {
        List<ReconciliationItem> found = new ArrayList<>();
        try (KeyValueIterator<String, ReconciliationItem> it =
                items.prefixScan(paymentId + "/", new StringSerializer())) {
            it.forEachRemaining(kv -> found.add(kv.value));
        }
        return found;
    }

    static String itemId(String paymentId, String operationId) {
        return paymentId + "/" + operationId;
    }

    private static String day(Instant t) {
        return t.atOffset(ZoneOffset.UTC).toLocalDate().toString();
    }

    private static String money(long minor, String currency) {
        return java.math.BigDecimal.valueOf(minor, 2).toPlainString() + " " + currency;
    }

    private static Bytes deadlineKey(Instant at, String itemId) {
        byte[] id = itemId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(
                ByteBuffer.allocate(Long.BYTES + id.length)
                        .putLong(at.toEpochMilli())
                        .put(id)
                        .array());
    }
}
