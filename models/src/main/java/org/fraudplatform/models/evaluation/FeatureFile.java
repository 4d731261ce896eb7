package org.fraudplatform.models.evaluation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rows of a feature backfill ({@code features.csv}) whose {@code event_time} lies in a range,
 * held as columns in memory: what training and evaluation read.
 *
 * <p>The file has a header and one row per payment: {@code transaction_id, event_time,
 * amount_minor, card, merchant, customer, email, ip, device, country}, the catalogue features,
 * {@code is_fraud}, {@code fraud_known_at}. The model inputs ({@link #featureNames()}) are {@code
 * amount_minor} followed by every column between {@code country} and {@code is_fraud}, in file
 * order; an empty feature is {@link Double#NaN}. Times are UTC, {@code yyyy-MM-dd HH:mm:ss} with
 * optional fractional seconds; an empty {@code fraud_known_at} (no fraud label) is held as {@link
 * Long#MAX_VALUE}.
 *
 * <p>The reader streams the bytes itself (no CSV library, no line strings): a backfill is hundreds
 * of megabytes and an evaluation needs only a few weeks of it. Every line is split and its field
 * count and {@code event_time} checked; only the lines in range are parsed further. Double quotes
 * are honoured within a line (a field holding a comma), not across lines.
 *
 * <p>A malformed line fails the whole read with an {@link IllegalArgumentException} naming the
 * file, the line number and the reason, rather than being skipped: the file is written by the
 * backfill, so a bad line means a broken or truncated file, and silently training on part of it
 * would hide that. Lines outside the range are checked for their field count and {@code event_time}
 * only.
 */
public final class FeatureFile {

    /** The column before the catalogue features. */
    static final String LAST_KEY = "country";

    /** The column after the catalogue features. */
    static final String LABEL = "is_fraud";

    private static final List<String> REQUIRED =
            List.of(
                    "transaction_id",
                    "event_time",
                    "amount_minor",
                    "card",
                    LAST_KEY,
                    LABEL,
                    "fraud_known_at");

    private static final int DEFAULT_BUFFER = 1 << 20;

    private final String source;
    private final Instant from;
    private final Instant to;
    private final long linesRead;
    private final String[] transactionIds;
    private final long[] eventTimesMs;
    private final String[] cards;
    private final int[] fraudLabels;
    private final long[] fraudKnownAtMs;
    private final List<String> featureNames;
    private final double[][] features;

    private FeatureFile(
            String source,
            Instant from,
            Instant to,
            long linesRead,
            String[] transactionIds,
            long[] eventTimesMs,
            String[] cards,
            int[] fraudLabels,
            long[] fraudKnownAtMs,
            List<String> featureNames,
            double[][] features) {
        this.source = source;
        this.from = from;
        this.to = to;
        this.linesRead = linesRead;
        this.transactionIds = transactionIds;
        this.eventTimesMs = eventTimesMs;
        this.cards = cards;
        this.fraudLabels = fraudLabels;
        this.fraudKnownAtMs = fraudKnownAtMs;
        this.featureNames = featureNames;
        this.features = features;
    }

    /**
     * Reads the rows of {@code csv} with {@code from <= event_time < to}, in file order.
     *
     * @throws IllegalArgumentException if the header lacks a required column or a line is malformed
     *     (the message names the line)
     */
    public static FeatureFile read(Path csv, Instant from, Instant to) throws IOException {
        return read(csv, from, to, DEFAULT_BUFFER);
    }

    /** As {@link #read(Path, Instant, Instant)}, with a chosen initial buffer (tests use tiny). */
    static FeatureFile read(Path csv, Instant from, Instant to, int bufferSize) throws IOException {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("empty range [" + from + ", " + to + ")");
        }
        try (InputStream in = Files.newInputStream(csv)) {
            return new Reader(
                            String.valueOf(csv.getFileName()),
                            in,
                            from.toEpochMilli(),
                            to.toEpochMilli(),
                            bufferSize)
                    .read(from, to);
        }
    }

    /** The file's name (without its folder), for reports and messages. */
    public String source() {
        return source;
    }

    /** Start of the requested range, inclusive. */
    public Instant from() {
        return from;
    }

    /** End of the requested range, exclusive. */
    public Instant to() {
        return to;
    }

    /** Data lines in the file, in range or not. */
    public long linesRead() {
        return linesRead;
    }

    /** Rows held (those in range). */
    public int size() {
        return transactionIds.length;
    }

    public String transactionId(int row) {
        return transactionIds[row];
    }

    /** Event time, epoch milliseconds. */
    public long eventTimeMs(int row) {
        return eventTimesMs[row];
    }

    /** The card (cardholder) id. */
    public String card(int row) {
        return cards[row];
    }

    /** 1 when a fraud label exists for the payment, however late; else 0. */
    public int fraudLabel(int row) {
        return fraudLabels[row];
    }

    /** When the fraud label became known, epoch milliseconds; {@link Long#MAX_VALUE} for none. */
    public long fraudKnownAtMs(int row) {
        return fraudKnownAtMs[row];
    }

    /** {@code amount_minor} and the catalogue features, in file order. */
    public List<String> featureNames() {
        return featureNames;
    }

    /**
     * The model inputs of one row, in {@link #featureNames()} order. The array is the reader's own
     * (a window holds millions of values); do not modify it.
     */
    public double[] features(int row) {
        return features[row];
    }

    /** The model inputs of the given rows, in that order (row arrays shared, as above). */
    public double[][] features(int[] rows) {
        double[][] selected = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            selected[i] = features[rows[i]];
        }
        return selected;
    }

    /** Column copy of the transaction ids. */
    public String[] transactionIds() {
        return transactionIds.clone();
    }

    /** Column copy of the event times, epoch milliseconds. */
    public long[] eventTimesMs() {
        return eventTimesMs.clone();
    }

    /** Column copy of the card ids. */
    public String[] cards() {
        return cards.clone();
    }

    /** Column copy of {@code is_fraud}. */
    public int[] fraudLabels() {
        return fraudLabels.clone();
    }

    /** Column copy of {@code fraud_known_at}, epoch milliseconds or {@link Long#MAX_VALUE}. */
    public long[] fraudKnownAtMs() {
        return fraudKnownAtMs.clone();
    }

    /** Every row's model inputs (outer array copied, row arrays shared, as above). */
    public double[][] featureMatrix() {
        return features.clone();
    }

    /** The streaming parser: one pass over the bytes, growing columns as rows arrive. */
    private static final class Reader {
        private final String source;
        private final InputStream in;
        private final long fromMs;
        private final long toMs;
        private byte[] buffer;
        private long lineNumber;
        private long dataLines;

        private int columns;
        private int idColumn;
        private int timeColumn;
        private int amountColumn;
        private int cardColumn;
        private int firstFeatureColumn;
        private int labelColumn;
        private int knownColumn;
        private int[] starts;
        private int[] ends;
        private boolean[] quoted;

        private int size;
        private String[] ids = new String[1024];
        private long[] times = new long[1024];
        private String[] cards = new String[1024];
        private int[] labels = new int[1024];
        private long[] known = new long[1024];
        private double[][] rows = new double[1024][];

        private final byte[] cachedDate = new byte[10];
        private long cachedDayMs = Long.MIN_VALUE;

        Reader(String source, InputStream in, long fromMs, long toMs, int bufferSize) {
            this.source = source;
            this.in = in;
            this.fromMs = fromMs;
            this.toMs = toMs;
            this.buffer = new byte[Math.max(16, bufferSize)];
        }

        FeatureFile read(Instant from, Instant to) throws IOException {
            List<String> names = null;
            int start = 0;
            int end = 0;
            boolean eof = false;
            while (true) {
                // one pass per line: find its end and, once the header is known, its commas
                int newline = -1;
                int fields = 0;
                boolean sawQuote = false;
                int fieldStart = start;
                int capacity = names == null ? 0 : starts.length;
                for (int p = start; p < end; p++) {
                    byte b = buffer[p];
                    if (b == ',') {
                        if (fields < capacity) {
                            starts[fields] = fieldStart;
                            ends[fields] = p;
                        }
                        fields++;
                        fieldStart = p + 1;
                    } else if (b == '\n') {
                        newline = p;
                        break;
                    } else if (b == '"') {
                        sawQuote = true;
                    }
                }
                if (newline < 0) {
                    if (eof) {
                        if (start < end) {
                            names = line(start, end, names);
                        }
                        break;
                    }
                    if (start > 0) {
                        System.arraycopy(buffer, start, buffer, 0, end - start);
                        end -= start;
                        start = 0;
                    } else if (end == buffer.length) {
                        buffer = Arrays.copyOf(buffer, buffer.length * 2);
                    }
                    int n = in.read(buffer, end, buffer.length - end);
                    if (n < 0) {
                        eof = true;
                    } else {
                        end += n;
                    }
                    continue; // and scan the line again from its start
                }
                if (names == null || sawQuote) {
                    names = line(start, newline, names);
                } else {
                    int lineEnd =
                            newline > fieldStart && buffer[newline - 1] == '\r'
                                    ? newline - 1
                                    : newline;
                    if (fields < capacity) {
                        starts[fields] = fieldStart;
                        ends[fields] = lineEnd;
                    }
                    fields++;
                    plainLine(start, lineEnd, fields, names.size());
                }
                start = newline + 1;
            }
            if (names == null) {
                throw new IllegalArgumentException(source + " is empty: no header");
            }
            return new FeatureFile(
                    source,
                    from,
                    to,
                    dataLines,
                    Arrays.copyOf(ids, size),
                    Arrays.copyOf(times, size),
                    Arrays.copyOf(cards, size),
                    Arrays.copyOf(labels, size),
                    Arrays.copyOf(known, size),
                    names,
                    Arrays.copyOf(rows, size));
        }

        /** One line without its '\n'; returns the feature names once the header is read. */
        private List<String> line(int start, int end, List<String> names) {
            lineNumber++;
            if (end > start && buffer[end - 1] == '\r') {
                end--;
            }
            if (names == null) {
                if (end - start >= 3
                        && buffer[start] == (byte) 0xEF
                        && buffer[start + 1] == (byte) 0xBB
                        && buffer[start + 2] == (byte) 0xBF) {
                    start += 3;
                }
                return header(start, end);
            }
            if (start == end) {
                return names; // a blank line, e.g. at the very end
            }
            dataLines++;
            int found = split(start, end);
            data(found, names.size());
            Arrays.fill(quoted, false);
            return names;
        }

        /** A data line without quotes, already split by the scan. */
        private void plainLine(int start, int end, int fields, int featureCount) {
            lineNumber++;
            if (start == end) {
                return; // a blank line, e.g. at the very end
            }
            dataLines++;
            data(fields, featureCount);
        }

        /** Checks a split data line and keeps it if it is in range. */
        private void data(int fields, int featureCount) {
            if (fields != columns) {
                throw malformed("expected " + columns + " fields, found " + fields);
            }
            long time = timestamp(timeColumn);
            if (time >= fromMs && time < toMs) {
                row(time, featureCount);
            }
        }

        private List<String> header(int start, int end) {
            // the header is split with a generous capacity, then the columns fixed from it
            starts = new int[end - start + 2];
            ends = new int[starts.length];
            quoted = new boolean[starts.length];
            int n = split(start, end);
            Map<String, Integer> index = new HashMap<>();
            List<String> header = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String name = text(i).trim();
                if (index.put(name, i) != null) {
                    throw malformed("column '" + name + "' appears twice in the header");
                }
                header.add(name);
            }
            for (String required : REQUIRED) {
                if (!index.containsKey(required)) {
                    throw new IllegalArgumentException(
                            source
                                    + " header lacks the column '"
                                    + required
                                    + "' (a feature backfill has "
                                    + String.join(", ", REQUIRED)
                                    + "); header: "
                                    + String.join(",", header));
                }
            }
            columns = n;
            idColumn = index.get("transaction_id");
            timeColumn = index.get("event_time");
            amountColumn = index.get("amount_minor");
            cardColumn = index.get("card");
            firstFeatureColumn = index.get(LAST_KEY) + 1;
            labelColumn = index.get(LABEL);
            knownColumn = index.get("fraud_known_at");
            if (labelColumn < firstFeatureColumn) {
                throw new IllegalArgumentException(
                        source
                                + " header has '"
                                + LABEL
                                + "' before '"
                                + LAST_KEY
                                + "': the catalogue features lie between them");
            }
            List<String> names = new ArrayList<>();
            names.add("amount_minor");
            names.addAll(header.subList(firstFeatureColumn, labelColumn));
            starts = new int[columns + 1];
            ends = new int[columns + 1];
            quoted = new boolean[columns + 1];
            return List.copyOf(names);
        }

        /**
         * Splits a line into fields; returns how many it has, recording at most {@code capacity} of
         * them (one more than expected, so an extra field is noticed).
         */
        private int split(int start, int end) {
            int capacity = starts.length;
            int n = 0;
            int p = start;
            while (true) {
                boolean q = p < end && buffer[p] == '"';
                int fieldStart = p;
                int fieldEnd;
                if (q) {
                    p++;
                    fieldStart = p;
                    while (true) {
                        if (p >= end) {
                            throw malformed("unterminated quoted field");
                        }
                        if (buffer[p] == '"') {
                            if (p + 1 < end && buffer[p + 1] == '"') {
                                p += 2;
                                continue;
                            }
                            break;
                        }
                        p++;
                    }
                    fieldEnd = p;
                    p++;
                    if (p < end && buffer[p] != ',') {
                        throw malformed("text after a closing quote");
                    }
                } else {
                    while (p < end && buffer[p] != ',') {
                        p++;
                    }
                    fieldEnd = p;
                }
                if (n < capacity) {
                    starts[n] = fieldStart;
                    ends[n] = fieldEnd;
                    quoted[n] = q;
                }
                n++;
                if (p >= end) {
                    return n;
                }
                p++; // the comma
            }
        }

        private void row(long time, int featureCount) {
            if (size == ids.length) {
                int grown = size * 2;
                ids = Arrays.copyOf(ids, grown);
                times = Arrays.copyOf(times, grown);
                cards = Arrays.copyOf(cards, grown);
                labels = Arrays.copyOf(labels, grown);
                known = Arrays.copyOf(known, grown);
                rows = Arrays.copyOf(rows, grown);
            }
            String id = text(idColumn);
            if (id.isEmpty()) {
                throw malformed("transaction_id is empty");
            }
            String card = text(cardColumn);
            if (card.isEmpty()) {
                throw malformed("card is empty");
            }
            int label = label();
            long knownAt = ends[knownColumn] == starts[knownColumn] ? Long.MAX_VALUE : 0L;
            if (knownAt != Long.MAX_VALUE) {
                knownAt = timestamp(knownColumn);
            }
            if ((label == 1) != (knownAt != Long.MAX_VALUE)) {
                throw malformed(
                        "is_fraud is "
                                + label
                                + " but fraud_known_at is "
                                + (knownAt == Long.MAX_VALUE ? "empty" : "set")
                                + ": a fraud label has a time, and only a fraud label");
            }
            double[] values = new double[featureCount];
            values[0] = number(amountColumn);
            for (int c = firstFeatureColumn, i = 1; c < labelColumn; c++, i++) {
                values[i] = number(c);
            }
            ids[size] = id;
            times[size] = time;
            cards[size] = card;
            labels[size] = label;
            known[size] = knownAt;
            rows[size] = values;
            size++;
        }

        private int label() {
            int s = starts[labelColumn];
            int e = ends[labelColumn];
            if (e - s == 1 && (buffer[s] == '0' || buffer[s] == '1')) {
                return buffer[s] - '0';
            }
            throw malformed("is_fraud must be 0 or 1, found '" + text(labelColumn) + "'");
        }

        private String text(int field) {
            int s = starts[field];
            int e = ends[field];
            String value = new String(buffer, s, e - s, StandardCharsets.UTF_8);
            return quoted[field] ? value.replace("\"\"", "\"") : value;
        }

        /** A double: a fast exact path for plain decimals, {@link Double#parseDouble} otherwise. */
        private double number(int field) {
            int s = starts[field];
            int e = ends[field];
            if (s == e) {
                return Double.NaN;
            }
            double fast = Decimals.parse(buffer, s, e);
            if (!Double.isNaN(fast)) {
                return fast;
            }
            String value = text(field).trim();
            switch (value.toLowerCase(Locale.ROOT)) {
                case "":
                case "nan":
                case "-nan":
                    return Double.NaN;
                case "inf":
                case "+inf":
                case "infinity":
                case "+infinity":
                    return Double.POSITIVE_INFINITY;
                case "-inf":
                case "-infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    try {
                        return Double.parseDouble(value);
                    } catch (NumberFormatException ex) {
                        throw malformed(
                                "column " + (field + 1) + " is not a number: '" + value + "'");
                    }
            }
        }

        /** {@code yyyy-MM-dd[ T]HH:mm:ss[.fraction][Z]}, UTC, to epoch milliseconds. */
        private long timestamp(int field) {
            int s = starts[field];
            int e = ends[field];
            if (e > s && buffer[e - 1] == 'Z') {
                e--;
            }
            if (e - s < 19
                    || buffer[s + 4] != '-'
                    || buffer[s + 7] != '-'
                    || (buffer[s + 10] != ' ' && buffer[s + 10] != 'T')
                    || buffer[s + 13] != ':'
                    || buffer[s + 16] != ':') {
                throw badTime(field);
            }
            long dayMs = dayMs(s, field);
            int hour = digits(s + 11, 2, field);
            int minute = digits(s + 14, 2, field);
            int second = digits(s + 17, 2, field);
            if (hour > 23 || minute > 59 || second > 59) {
                throw badTime(field);
            }
            int millis = 0;
            if (e - s > 19) {
                if (buffer[s + 19] != '.' || e - s == 20 || e - s > 29) {
                    throw badTime(field);
                }
                int scale = 100;
                for (int p = s + 20; p < e; p++) {
                    int d = buffer[p] - '0';
                    if (d < 0 || d > 9) {
                        throw badTime(field);
                    }
                    millis += d * scale;
                    scale /= 10;
                }
            }
            return dayMs + ((hour * 60L + minute) * 60L + second) * 1000L + millis;
        }

        /** The date part, cached: the rows come in time order, so it rarely changes. */
        private long dayMs(int s, int field) {
            if (cachedDayMs != Long.MIN_VALUE
                    && Arrays.equals(buffer, s, s + 10, cachedDate, 0, 10)) {
                return cachedDayMs;
            }
            int year = digits(s, 4, field);
            int month = digits(s + 5, 2, field);
            int day = digits(s + 8, 2, field);
            long ms;
            try {
                ms = LocalDate.of(year, month, day).toEpochDay() * 86_400_000L;
            } catch (DateTimeException ex) {
                throw badTime(field);
            }
            System.arraycopy(buffer, s, cachedDate, 0, 10);
            cachedDayMs = ms;
            return ms;
        }

        private int digits(int at, int count, int field) {
            int value = 0;
            for (int p = at; p < at + count; p++) {
                int d = buffer[p] - '0';
                if (d < 0 || d > 9) {
                    throw badTime(field);
                }
                value = value * 10 + d;
            }
            return value;
        }

        private IllegalArgumentException badTime(int field) {
            return malformed(
                    "column "
                            + (field + 1)
                            + " is not a time yyyy-MM-dd HH:mm:ss: '"
                            + text(field)
                            + "'");
        }

        private IllegalArgumentException malformed(String reason) {
            return new IllegalArgumentException(source + " line " + lineNumber + ": " + reason);
        }
    }
}
