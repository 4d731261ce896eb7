package org.fraudplatform.offline.backfill;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.fraudplatform.features.FeatureCatalogue;
import org.fraudplatform.features.FeatureDefinition;

/**
 * Turns the job's part files into the backfill's output with DuckDB (in-process, out-of-core):
 *
 * <ul>
 *   <li>{@code features.csv} and {@code features.parquet}: {@code transaction_id, event_time,
 *       amount_minor, card, merchant, customer, email, ip, device, country} (the keys, tokens and
 *       hashes only), every catalogue feature (DOUBLE, empty/NULL where absent), {@code is_fraud}
 *       (1 when a fraud label exists for the payment, however late), {@code fraud_known_at}, and
 *       what the decision reads of the request besides ({@link RequestColumns}: {@code
 *       paid_amount_minor, paid_currency, payment_method, card_bin, card_country, card_funding,
 *       channel, mcc, customer_id, customer_country}); in input order;
 *   <li>{@code rejected.txt}: every refused line with its line number and reason, in line order.
 * </ul>
 */
public final class BackfillOutput {

    public static final String CSV = "features.csv";

    /** The hash of the catalogue that computed the features, one line. */
    public static final String CATALOGUE_HASH = "catalogue-hash.txt";

    static final String PARQUET = "features.parquet";
    static final String REJECTED = "rejected.txt";

    /** Output columns before the features. */
    public static final List<String> LEADING =
            List.of(
                    "transaction_id",
                    "event_time",
                    "amount_minor",
                    "card",
                    "merchant",
                    "customer",
                    "email",
                    "ip",
                    "device",
                    "country");

    /** Output columns after the features, before the {@link RequestColumns}. */
    public static final List<String> TRAILING = List.of("is_fraud", "fraud_known_at");

    /** Every column of the output of {@code catalogue}, in order. */
    public static List<String> header(FeatureCatalogue catalogue) {
        List<String> header = new ArrayList<>(LEADING);
        header.addAll(catalogue.names());
        header.addAll(TRAILING);
        header.addAll(RequestColumns.NAMES);
        return header;
    }

    record Counts(long rows, long frauds, long rejected) {}

    private BackfillOutput() {}

    static Counts assemble(Path staging, Path output, FeatureCatalogue catalogue)
            throws IOException, SQLException {
        Path features = staging.resolve("features");
        Path labels = staging.resolve("labels");
        ensureOnePart(features);
        ensureOnePart(labels);

        StringBuilder columns =
                new StringBuilder(
                        "{'seq': 'BIGINT', 'transaction_id': 'VARCHAR', 'time_ms': 'BIGINT',"
                                + " 'amount_minor': 'BIGINT', 'card': 'VARCHAR', 'merchant': 'VARCHAR',"
                                + " 'customer': 'VARCHAR', 'email': 'VARCHAR', 'ip': 'VARCHAR',"
                                + " 'device': 'VARCHAR', 'country': 'VARCHAR'");
        StringBuilder select =
                new StringBuilder(
                        "SELECT f.transaction_id, epoch_ms(f.time_ms) AS event_time,"
                                + " f.amount_minor, f.card, f.merchant, f.customer, f.email, f.ip,"
                                + " f.device, f.country");
        for (FeatureDefinition d : catalogue.features()) {
            columns.append(", '").append(d.name()).append("': 'DOUBLE'");
            select.append(", f.").append(d.name());
        }
        for (String r : RequestColumns.NAMES) {
            columns.append(", '")
                    .append(r)
                    .append("': '")
                    .append(r.equals("paid_amount_minor") ? "BIGINT" : "VARCHAR")
                    .append('\'');
        }
        columns.append('}');
        select.append(
                ", CASE WHEN l.known_ms IS NULL THEN 0 ELSE 1 END AS is_fraud,"
                        + " epoch_ms(l.known_ms) AS fraud_known_at");
        for (String r : RequestColumns.NAMES) {
            select.append(", f.").append(r);
        }
        select.append(
                " FROM features f LEFT JOIN (SELECT transaction_id, min(known_ms) AS"
                        + " known_ms FROM labels GROUP BY transaction_id) l"
                        + " ON f.transaction_id = l.transaction_id ORDER BY f.seq");

        Path csv = output.resolve(CSV);
        Path parquet = output.resolve(PARQUET);
        Files.deleteIfExists(csv);
        Files.deleteIfExists(parquet);
        long rows;
        long frauds;
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement st = c.createStatement()) {
            st.execute("SET memory_limit = '1GB'");
            st.execute("SET temp_directory = " + literal(staging.resolve("duckdb-tmp").toString()));
            st.execute(
                    "CREATE VIEW features AS SELECT * FROM read_csv("
                            + literal(features.resolve("part-*.csv").toString())
                            + ", header = false, auto_detect = false, delim = ',', nullstr = '',"
                            + " columns = "
                            + columns
                            + ")");
            st.execute(
                    "CREATE VIEW labels AS SELECT * FROM read_csv("
                            + literal(labels.resolve("part-*.csv").toString())
                            + ", header = false, auto_detect = false, delim = ',',"
                            + " columns = {'transaction_id':"
                            + " 'VARCHAR', 'known_ms': 'BIGINT'})");
            st.execute("CREATE TABLE result AS " + select);
            st.execute("COPY result TO " + literal(csv.toString()) + " (HEADER, DELIMITER ',')");
            st.execute(
                    "COPY result TO "
                            + literal(parquet.toString())
                            + " (FORMAT PARQUET, COMPRESSION ZSTD)");
            try (ResultSet r =
                    st.executeQuery("SELECT count(*), coalesce(sum(is_fraud), 0) FROM result")) {
                r.next();
                rows = r.getLong(1);
                frauds = r.getLong(2);
            }
        }
        long rejected = writeRejected(staging.resolve("rejected"), output.resolve(REJECTED));
        return new Counts(rows, frauds, rejected);
    }

    /** Concatenates the rejected part files in line order. */
    private static long writeRejected(Path parts, Path target) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Path part : parts(parts)) {
            lines.addAll(Files.readAllLines(part, StandardCharsets.UTF_8));
        }
        lines.sort(Comparator.comparingLong(BackfillOutput::lineNumber));
        Files.write(target, lines, StandardCharsets.UTF_8);
        return lines.size();
    }

    private static long lineNumber(String rejected) {
        // "line 17: …"
        int colon = rejected.indexOf(':');
        try {
            return Long.parseLong(rejected.substring(5, colon));
        } catch (RuntimeException e) {
            return Long.MAX_VALUE;
        }
    }

    private static List<Path> parts(Path folder) throws IOException {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return found;
        }
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(folder, "part-*.csv")) {
            dir.forEach(found::add);
        }
        return found;
    }

    /** DuckDB's glob fails on no match: an input without rows gets one empty part. */
    private static void ensureOnePart(Path folder) throws IOException {
        if (parts(folder).isEmpty()) {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve("part-empty.csv"), "");
        }
    }

    private static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
