package org.fraudplatform.reconciliation.settlement;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.fraudplatform.schemas.SettlementRecord;
import org.fraudplatform.schemas.SettlementType;

/**
 * A payment provider's daily settlement report as a CSV file: the one place that writes and reads
 * the format.
 *
 * <pre>
 * provider,settlement_date,row_type,payment_id,operation_id,provider_reference,amount_minor,currency,fee_minor,booked_at
 * simulated-a,2026-03-02,capture,pay_1,capture,ref_1,2500,EUR,60,2026-03-02T10:15:30Z
 * </pre>
 *
 * {@link #parse} validates every line on its own: a malformed one is quarantined with its line
 * number and a reason a person can act on, and the others still come through. Only a file whose
 * header is not this one is refused whole.
 */
public final class SettlementReportFile {

    /** The first line of every report. */
    public static final String HEADER =
            "provider,settlement_date,row_type,payment_id,operation_id,provider_reference,"
                    + "amount_minor,currency,fee_minor,booked_at";

    private static final int FIELDS = 10;

    /**
     * A row to write.
     *
     * @param provider the provider's name
     * @param settlementDate the report's day (UTC)
     * @param type {@code capture} or {@code refund}
     * @param paymentId our payment id
     * @param operationId the operation id the provider was sent ({@code capture} for an automatic
     *     capture)
     * @param providerReference the provider's id for the operation, or null
     * @param amount minor units settled
     * @param currency ISO 4217
     * @param fee the provider's fee, minor units
     * @param bookedAt when the provider booked it
     */
    public record Row(
            String provider,
            LocalDate settlementDate,
            String type,
            String paymentId,
            String operationId,
            String providerReference,
            long amount,
            String currency,
            long fee,
            Instant bookedAt) {

        public Row {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(settlementDate, "settlementDate");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(paymentId, "paymentId");
            Objects.requireNonNull(operationId, "operationId");
            Objects.requireNonNull(currency, "currency");
            Objects.requireNonNull(bookedAt, "bookedAt");
            if (!type.equals("capture") && !type.equals("refund")) {
                throw new IllegalArgumentException(
                        "type '" + type + "' is neither capture nor refund");
            }
            for (String value :
                    new String[] {provider, paymentId, operationId, providerReference, currency}) {
                if (value != null && value.matches("(?s).*[,\"\r\n].*")) {
                    throw new IllegalArgumentException(
                            "'"
                                    + value
                                    + "' holds a comma, a double quote or a line break, which"
                                    + " the report format cannot carry");
                }
            }
        }

        /** The reconciliation item this row settles: {@code <payment id>/<operation id>}. */
        public String itemId() {
            return paymentId + "/" + operationId;
        }

        String csv() {
            return String.join(
                    ",",
                    provider,
                    settlementDate.toString(),
                    type,
                    paymentId,
                    operationId,
                    providerReference == null ? "" : providerReference,
                    Long.toString(amount),
                    currency,
                    Long.toString(fee),
                    bookedAt.toString());
        }
    }

    /**
     * A line that could not be read, with why.
     *
     * @param line its 1-based line number in the file (the header is line 1)
     * @param raw the line as it was, without its line break
     * @param reason which field is wrong and how, e.g. {@code amount_minor 'abc' is not a whole
     *     number}
     */
    public record Quarantined(int line, String raw, String reason) {}

    /**
     * What a file held.
     *
     * @param fileHash the first 16 hex digits of the SHA-256 of the file's bytes
     * @param fileName the name it was imported under
     * @param rows the valid rows, in file order
     * @param quarantined the lines that could not be read, in file order
     */
    public record ParsedReport(
            String fileHash,
            String fileName,
            List<SettlementRecord> rows,
            List<Quarantined> quarantined) {

        public ParsedReport {
            rows = List.copyOf(rows);
            quarantined = List.copyOf(quarantined);
        }

        /** The provider of every valid row, or null when none or several. */
        public String provider() {
            return shared(rows.stream().map(SettlementRecord::getProvider).distinct().toList());
        }

        /** The settlement date of every valid row, or null when none or several. */
        public String settlementDate() {
            return shared(
                    rows.stream().map(SettlementRecord::getSettlementDate).distinct().toList());
        }

        private static String shared(List<String> values) {
            return values.size() == 1 ? values.get(0) : null;
        }
    }

    private SettlementReportFile() {}

    /** The file's text: the header, then the rows. */
    public static String toCsv(List<Row> rows) {
        return toCsv(rows, List.of());
    }

    /** The file's text: the header, the rows, then {@code extraLines} as they are. */
    public static String toCsv(List<Row> rows, List<String> extraLines) {
        StringBuilder s = new StringBuilder(HEADER).append('\n');
        for (Row r : rows) {
            s.append(r.csv()).append('\n');
        }
        for (String line : extraLines) {
            s.append(line).append('\n');
        }
        return s.toString();
    }

    /** Writes the header and the rows, creating the folder if needed. */
    public static void write(Path file, List<Row> rows) throws IOException {
        write(file, rows, List.of());
    }

    /** Writes the rows, then {@code extraLines} as they are (e.g. malformed ones, for tests). */
    public static void write(Path file, List<Row> rows, List<String> extraLines)
            throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, toCsv(rows, extraLines), StandardCharsets.UTF_8);
    }

    /** The first 16 hex digits of the SHA-256 of the bytes: a file's identity. */
    public static String hash(byte[] content) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(content))
                    .substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads a report. Blank lines are skipped; every other line after the header becomes a valid
     * row or a quarantined line, on its own. A UTF-8 byte order mark and CRLF line breaks are
     * accepted.
     *
     * @param fileName the name the rows record as where they came from
     * @param content the file's bytes, UTF-8
     * @param importedAt when it is imported, recorded on every row
     * @throws IllegalArgumentException when the first line is not {@link #HEADER}
     */
    public static ParsedReport parse(String fileName, byte[] content, Instant importedAt) {
        String hash = hash(content);
        String text = new String(content, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String[] lines = text.split("\n", -1);
        String header = strip(lines[0]);
        if (!header.equals(HEADER)) {
            throw new IllegalArgumentException(
                    fileName
                            + " is not a settlement report: the first line must be '"
                            + HEADER
                            + "', found '"
                            + (header.length() > 200 ? header.substring(0, 200) + "…" : header)
                            + "'");
        }
        List<SettlementRecord> rows = new ArrayList<>();
        List<Quarantined> quarantined = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String raw = strip(lines[i]);
            if (raw.isBlank()) {
                continue;
            }
            int line = i + 1;
            try {
                rows.add(row(raw, hash, fileName, line, importedAt));
            } catch (IllegalArgumentException e) {
                quarantined.add(new Quarantined(line, raw, e.getMessage()));
            }
        }
        return new ParsedReport(hash, fileName, rows, quarantined);
    }

    private static SettlementRecord row(
            String raw, String hash, String fileName, int line, Instant importedAt) {
        if (raw.indexOf('"') >= 0) {
            throw new IllegalArgumentException(
                    "the line holds a double quote: quoted fields are not part of the format");
        }
        String[] f = raw.split(",", -1);
        if (f.length != FIELDS) {
            throw new IllegalArgumentException("expected " + FIELDS + " fields, found " + f.length);
        }
        String provider = required(f[0], "provider");
        LocalDate date;
        try {
            if (!f[1].trim().matches("\\d{4}-\\d{2}-\\d{2}")) {
                throw new DateTimeParseException("not yyyy-MM-dd", f[1], 0);
            }
            date = LocalDate.parse(f[1].trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "settlement_date '" + f[1] + "' is not a date (yyyy-MM-dd)");
        }
        SettlementType type =
                switch (f[2].trim()) {
                    case "capture" -> SettlementType.CAPTURE;
                    case "refund" -> SettlementType.REFUND;
                    default ->
                            throw new IllegalArgumentException(
                                    "row_type '" + f[2] + "' is neither capture nor refund");
                };
        String paymentId = token(f[3], "payment_id");
        String operationId = token(f[4], "operation_id");
        String reference = f[5].trim();
        long amount = number(f[6], "amount_minor");
        if (amount <= 0) {
            throw new IllegalArgumentException("amount_minor must be positive, was " + amount);
        }
        String currency = f[7].trim();
        if (!currency.matches("[A-Z]{3}")) {
            throw new IllegalArgumentException(
                    "currency '" + currency + "' is not three capital letters (ISO 4217)");
        }
        long fee = f[8].isBlank() ? 0 : number(f[8], "fee_minor");
        if (fee < 0) {
            throw new IllegalArgumentException("fee_minor must not be negative, was " + fee);
        }
        Instant bookedAt;
        try {
            bookedAt = Instant.parse(f[9].trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "booked_at '"
                            + f[9]
                            + "' is not an ISO-8601 instant (e.g. 2026-03-02T10:15:30Z)");
        }
        return SettlementRecord.newBuilder()
                .setRowId(hash + ":" + line)
                .setFileHash(hash)
                .setFileName(fileName)
                .setLine(line)
                .setProvider(provider)
                .setSettlementDate(date.toString())
                .setType(type)
                .setPaymentId(paymentId)
                .setOperationId(operationId)
                .setProviderReference(reference.isEmpty() ? null : reference)
                .setAmount(amount)
                .setCurrency(currency)
                .setFee(fee)
                .setBookedAt(bookedAt)
                .setImportedAt(importedAt)
                .build();
    }

    private static String required(String value, String field) {
        String v = value.trim();
        if (v.isEmpty()) {
            throw new IllegalArgumentException(field + " is empty");
        }
        return v;
    }

    private static String token(String value, String field) {
        String v = required(value, field);
        for (int i = 0; i < v.length(); i++) {
            if (Character.isWhitespace(v.charAt(i))) {
                throw new IllegalArgumentException(field + " '" + v + "' holds whitespace");
            }
        }
        return v;
    }

    private static long number(String value, String field) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            if (value.trim().matches("[+-]?\\d+")) {
                throw new IllegalArgumentException(field + " '" + value + "' is too large");
            }
            throw new IllegalArgumentException(field + " '" + value + "' is not a whole number");
        }
    }

    private static String strip(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }
}
