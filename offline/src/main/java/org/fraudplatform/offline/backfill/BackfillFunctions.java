package org.fraudplatform.offline.backfill;

import java.util.Arrays;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.fraudplatform.features.Entity;
import org.fraudplatform.features.EntityState;
import org.fraudplatform.features.FeatureCatalogue;
import org.fraudplatform.features.FeaturePayment;
import org.fraudplatform.features.LateEventException;
import org.fraudplatform.schemas.money.CurrencyRates;

/** The steps of the backfill job; each is the offline twin of a step of the risk topology. */
final class BackfillFunctions {

    /** Lines that cannot be used, with the reason: bad syntax, or later than the grace. */
    static final OutputTag<String> REJECTED = new OutputTag<>("rejected", Types.STRING);

    /** Fraud labels: {@code transaction_id,known_at_millis}. */
    static final OutputTag<String> LABELS = new OutputTag<>("labels", Types.STRING);

    private BackfillFunctions() {}

    /**
     * Parses lines in input order (parallelism 1) and numbers them: the number is the order the
     * online path would have seen them in, and the job sorts by it within each key. Amounts leave
     * in the reference currency; a line in a currency the rate table lacks is rejected, as the API
     * refuses such a payment online.
     */
    static final class ParseLines extends ProcessFunction<String, HistoryRow> {
        private final HistoryFormat format;
        private final long labelDelayMillis;
        private final CurrencyRates rates;
        private final String progressId;
        private long lineNumber;

        ParseLines(
                HistoryFormat format,
                long labelDelayMillis,
                CurrencyRates rates,
                String progressId) {
            this.format = format;
            this.labelDelayMillis = labelDelayMillis;
            this.rates = rates;
            this.progressId = progressId;
        }

        @Override
        public void processElement(String line, Context ctx, Collector<HistoryRow> out) {
            lineNumber++;
            BackfillProgress.add(progressId, BackfillProgress.LINES, 1);
            if (lineNumber == 1 && format.isHeader(line)) {
                return;
            }
            if (line.isBlank()) {
                ctx.output(REJECTED, "line " + lineNumber + ": empty line");
                return;
            }
            try {
                HistoryRow row = format.parse(line, labelDelayMillis).inReference(rates);
                row.sequence = lineNumber;
                out.collect(row);
            } catch (IllegalArgumentException e) {
                ctx.output(
                        REJECTED,
                        "line " + lineNumber + ": " + e.getMessage() + ": " + abbreviate(line));
            }
        }

        private static String abbreviate(String line) {
            return line.length() <= 200 ? line : line.substring(0, 200) + "…";
        }
    }

    /** Passes readable topic records on and sends the others to the rejected output. */
    static final class SplitRejected extends ProcessFunction<HistoryRow, HistoryRow> {
        @Override
        public void processElement(HistoryRow row, Context ctx, Collector<HistoryRow> out) {
            if (TopicHistory.REJECTED_KIND.equals(row.kind)) {
                ctx.output(REJECTED, "record " + row.transactionId + ": " + row.problem);
            } else {
                out.collect(row);
            }
        }
    }

    /**
     * Routes a payment to every entity it names (as {@code FeatureFanOut} does online) and an
     * outcome to the entity that keeps it (as {@code OutcomeRouter} does); fraud labels also go to
     * the label output.
     */
    static final class FanOut extends ProcessFunction<HistoryRow, EntityUpdate> {
        private final FeatureCatalogue catalogue;

        FanOut(FeatureCatalogue catalogue) {
            this.catalogue = catalogue;
        }

        @Override
        public void processElement(HistoryRow row, Context ctx, Collector<EntityUpdate> out) {
            if (row.isPayment()) {
                FeaturePayment payment = row.toPayment();
                int expected = 0;
                for (Entity e : catalogue.entities()) {
                    if (e.keyOf(payment) != null) {
                        expected++;
                    }
                }
                for (Entity e : catalogue.entities()) {
                    String key = e.keyOf(payment);
                    if (key != null) {
                        out.collect(new EntityUpdate(e.stateKey(key), e.name(), expected, row));
                    }
                }
                if (row.fraudKnownAt != null) {
                    ctx.output(LABELS, row.transactionId + "," + row.fraudKnownAt);
                }
                return;
            }
            var outcome = row.toOutcome();
            out.collect(
                    new EntityUpdate(
                            outcome.entity().stateKey(outcome.entityKey()),
                            outcome.entity().name(),
                            0,
                            row));
            if (HistoryRow.FRAUD.equals(row.kind)) {
                ctx.output(LABELS, row.transactionId + "," + row.timeMillis);
            }
        }
    }

    /**
     * One entity's state, as {@code EntityFeaturesProcessor} keeps it online: the same {@link
     * EntityState}, stored as the same bytes. Input must arrive in sequence order per key.
     */
    static final class EntityFeatures extends KeyedProcessFunction<String, EntityUpdate, PartRow> {
        private final FeatureCatalogue catalogue;
        private transient ValueState<byte[]> state;

        EntityFeatures(FeatureCatalogue catalogue) {
            this.catalogue = catalogue;
        }

        @Override
        public void open(OpenContext openContext) {
            state =
                    getRuntimeContext()
                            .getState(
                                    new ValueStateDescriptor<>(
                                            "entity-history", TypeInformation.of(byte[].class)));
        }

        @Override
        public void processElement(EntityUpdate update, Context ctx, Collector<PartRow> out)
                throws Exception {
            byte[] bytes = state.value();
            Entity entity = Entity.valueOf(update.entity);
            EntityState history =
                    bytes == null
                            ? EntityState.empty(entity, catalogue)
                            : EntityState.fromBytes(bytes);
            HistoryRow row = update.row;
            if (!row.isPayment()) {
                if (history.apply(row.toOutcome())) {
                    state.update(history.toBytes());
                }
                return;
            }
            PartRow part = new PartRow();
            part.transactionId = row.transactionId;
            part.sequence = row.sequence;
            part.timeMillis = row.timeMillis;
            part.amountMinor = row.amountMinor;
            part.card = row.card;
            part.merchant = row.merchant;
            part.customer = row.customer;
            part.email = row.email;
            part.ip = row.ip;
            part.device = row.device;
            part.country = row.country;
            part.request = RequestColumns.cells(row);
            part.expected = update.expected;
            part.received = 1;
            part.features = new double[catalogue.features().size()];
            Arrays.fill(part.features, Double.NaN);
            try {
                Map<String, Double> values = history.record(row.toPayment(), entity, catalogue);
                values.forEach((name, v) -> part.features[catalogue.indexOf(name)] = v);
            } catch (LateEventException e) {
                part.problem = e.getMessage();
            }
            // stored after a refusal too: a bucketed state remembers what it refused
            state.update(history.toBytes());
            out.collect(part);
        }
    }

    /**
     * Gathers a payment's parts, as {@code DecisionJoin} does online, and writes its row: {@code
     * sequence, transaction_id, time_ms, amount_minor, card, merchant, customer, email, ip, device,
     * country, feature…, request column…} (empty where absent; the request columns are {@link
     * RequestColumns}). A payment that an entity refused as late goes to the rejected output
     * instead.
     */
    static final class JoinParts extends KeyedProcessFunction<String, PartRow, String> {
        private final String progressId;
        private transient ValueState<PartRow> state;

        JoinParts(String progressId) {
            this.progressId = progressId;
        }

        @Override
        public void open(OpenContext openContext) {
            state =
                    getRuntimeContext()
                            .getState(
                                    new ValueStateDescriptor<>(
                                            "partial-row", TypeInformation.of(PartRow.class)));
        }

        @Override
        public void processElement(PartRow part, Context ctx, Collector<String> out)
                throws Exception {
            PartRow acc = state.value();
            if (acc == null) {
                acc = part;
            } else {
                acc.received += part.received;
                for (int i = 0; i < acc.features.length; i++) {
                    if (!Double.isNaN(part.features[i])) {
                        acc.features[i] = part.features[i];
                    }
                }
                if (part.problem != null) {
                    acc.problem =
                            acc.problem == null ? part.problem : acc.problem + "; " + part.problem;
                }
            }
            if (acc.received < acc.expected) {
                state.update(acc);
                return;
            }
            state.clear();
            if (acc.problem != null) {
                ctx.output(
                        REJECTED,
                        "line "
                                + acc.sequence
                                + ": transaction "
                                + acc.transactionId
                                + " is later than the grace: "
                                + acc.problem);
                return;
            }
            StringBuilder line = new StringBuilder(64 + acc.features.length * 8);
            line.append(acc.sequence)
                    .append(',')
                    .append(acc.transactionId)
                    .append(',')
                    .append(acc.timeMillis)
                    .append(',')
                    .append(acc.amountMinor)
                    .append(',')
                    .append(acc.card == null ? "" : acc.card)
                    .append(',')
                    .append(acc.merchant == null ? "" : acc.merchant);
            for (String key :
                    new String[] {acc.customer, acc.email, acc.ip, acc.device, acc.country}) {
                line.append(',').append(key == null ? "" : key);
            }
            for (double v : acc.features) {
                line.append(',');
                if (!Double.isNaN(v)) {
                    appendNumber(line, v);
                }
            }
            line.append(',').append(acc.request);
            out.collect(line.toString());
            BackfillProgress.add(progressId, BackfillProgress.ROWS, 1);
        }

        private static void appendNumber(StringBuilder line, double v) {
            if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                line.append((long) v);
            } else {
                line.append(v);
            }
        }
    }
}
