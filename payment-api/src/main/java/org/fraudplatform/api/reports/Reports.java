package org.fraudplatform.api.reports;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The reports published to the platform for the console (table {@code reports}): a rule back-test's
 * {@code report.html} (the candidate ruleset against its baseline) and a model's evaluation {@code
 * report.html} (the registered version). The command line publishes them; the console lists and
 * serves them.
 *
 * <p>Checked at the edge: a report is a whole HTML page ({@code <!DOCTYPE html>} first, {@code
 * </html>} last) of UTF-8 text, at most {@value #MAX_BYTES} bytes. A report that is not is refused
 * with the reason before anything is stored, so a bad publication never replaces a good one; a
 * publication is only added, and the newest of a subject is the one shown. Each publication is
 * stored and audited in one step: when the audit trail does not take it, nothing is stored.
 */
public final class Reports {

    /** The largest report taken: the platform's reports weigh tens of kilobytes. */
    public static final int MAX_BYTES = 2 * 1024 * 1024;

    private static final Pattern DOCTYPE =
            Pattern.compile("\\A\\uFEFF?\\s*<!doctype html[\\s>]", Pattern.CASE_INSENSITIVE);
    private static final Pattern END = Pattern.compile("</html>\\s*\\z", Pattern.CASE_INSENSITIVE);
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:+-]{0,127}");

    /** What a report is about. */
    public enum Kind {
        /** A rule back-test: a candidate ruleset against a baseline. */
        BACKTEST,
        /** A model's evaluation on its test period. */
        EVALUATION;

        String column() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A report to publish.
     *
     * @param subject the candidate ruleset's version, or the model's version
     * @param baseline a back-test's baseline ruleset version; null for an evaluation
     * @param headline the numbers listed beside the report (plain text, may be empty)
     * @param html the page
     */
    public record Publication(
            Kind kind, String subject, String baseline, String headline, byte[] html) {}

    /** A published report without its page. */
    public record Listed(
            long id,
            Kind kind,
            String subject,
            String baseline,
            String headline,
            String author,
            Instant publishedAt,
            int bytes) {}

    /** Where publications are recorded ({@code audit.events} in the platform). */
    @FunctionalInterface
    public interface Audit {
        void record(String actor, String action, String subject, Map<String, String> details)
                throws Exception;
    }

    private final DataSource dataSource;

    public Reports(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The page of a report file as text, when it is one the platform takes.
     *
     * @throws IllegalArgumentException saying what is wrong: empty, larger than {@value #MAX_BYTES}
     *     bytes, not UTF-8, or not a whole HTML page
     */
    public static String check(byte[] html) {
        if (html == null || html.length == 0) {
            throw new IllegalArgumentException("the report is empty");
        }
        if (html.length > MAX_BYTES) {
            throw new IllegalArgumentException(
                    String.format(
                            Locale.ROOT,
                            "the report has %,d bytes; at most %,d are taken",
                            html.length,
                            MAX_BYTES));
        }
        String text;
        try {
            text =
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(html))
                            .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the report is not UTF-8 text");
        }
        if (text.indexOf('\0') >= 0 || !DOCTYPE.matcher(text).find() || !END.matcher(text).find()) {
            throw new IllegalArgumentException(
                    "the report is not an HTML page (<!DOCTYPE html> … </html>): publish the"
                            + " report.html the command wrote");
        }
        return text;
    }

    /**
     * Checks, stores and audits a report ({@code report.publish}, subject {@code report:<id>}).
     *
     * @return the published report's id
     * @throws IllegalArgumentException for a report {@link #check} refuses, or a subject or
     *     baseline that is no version; nothing is stored then
     */
    public long publish(Publication p, String author, Instant at, Audit audit) throws Exception {
        String html = check(p.html());
        version("subject", p.subject());
        if (p.kind() == Kind.BACKTEST) {
            version("baseline", p.baseline());
        } else if (p.baseline() != null) {
            throw new IllegalArgumentException("an evaluation report has no baseline");
        }
        String headline = p.headline() == null ? "" : p.headline().strip();
        if (headline.length() > 500) {
            throw new IllegalArgumentException("the headline is longer than 500 characters");
        }
        String sha256 = sha256(p.html());
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                long id;
                try (PreparedStatement s =
                        c.prepareStatement(
                                "INSERT INTO reports (kind, subject, baseline, headline, author,"
                                        + " published_at, sha256, html) VALUES (?, ?, ?, ?, ?, ?,"
                                        + " ?, ?) RETURNING id")) {
                    s.setString(1, p.kind().column());
                    s.setString(2, p.subject());
                    s.setString(3, p.baseline());
                    s.setString(4, headline);
                    s.setString(5, author);
                    s.setTimestamp(6, Timestamp.from(at));
                    s.setString(7, sha256);
                    s.setString(8, html);
                    try (ResultSet r = s.executeQuery()) {
                        r.next();
                        id = r.getLong(1);
                    }
                }
                Map<String, String> details = new LinkedHashMap<>();
                details.put("kind", p.kind().column());
                details.put("subject", p.subject());
                if (p.baseline() != null) {
                    details.put("baseline", p.baseline());
                }
                details.put("bytes", Integer.toString(p.html().length));
                details.put("sha256", sha256);
                audit.record(author, "report.publish", "report:" + id, details);
                c.commit();
                return id;
            } catch (Exception e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** The reports of a kind, newest first, at most {@code limit}. */
    public List<Listed> list(Kind kind, int limit) {
        return query(
                "SELECT id, kind, subject, baseline, headline, author, published_at,"
                        + " octet_length(html) FROM reports WHERE kind = ?"
                        + " ORDER BY published_at DESC, id DESC LIMIT ?",
                s -> {
                    s.setString(1, kind.column());
                    s.setInt(2, limit);
                });
    }

    /**
     * The reports of a kind published before the report {@code before} (in the order {@link
     * #list(Kind, int)} gives them), newest first, at most {@code limit}: the next page.
     */
    public List<Listed> listBefore(Kind kind, long before, int limit) {
        return query(
                "SELECT id, kind, subject, baseline, headline, author, published_at,"
                        + " octet_length(html) FROM reports WHERE kind = ? AND (published_at, id)"
                        + " < (SELECT published_at, id FROM reports WHERE id = ?)"
                        + " ORDER BY published_at DESC, id DESC LIMIT ?",
                s -> {
                    s.setString(1, kind.column());
                    s.setLong(2, before);
                    s.setInt(3, limit);
                });
    }

    /** The newest report of each of these subjects (model versions), by subject. */
    public Map<String, Listed> newestOf(Kind kind, List<String> subjects) {
        Map<String, Listed> out = new LinkedHashMap<>();
        if (subjects.isEmpty()) {
            return out;
        }
        List<Listed> rows =
                query(
                        "SELECT DISTINCT ON (subject) id, kind, subject, baseline, headline,"
                                + " author, published_at, octet_length(html) FROM reports"
                                + " WHERE kind = ? AND subject = ANY (?)"
                                + " ORDER BY subject, published_at DESC, id DESC",
                        s -> {
                            s.setString(1, kind.column());
                            s.setArray(
                                    2,
                                    s.getConnection()
                                            .createArrayOf(
                                                    "text", subjects.toArray(new String[0])));
                        });
        rows.forEach(r -> out.put(r.subject(), r));
        return out;
    }

    /** A report's page, by its id. */
    public Optional<String> html(long id) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT html FROM reports WHERE id = ?")) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read report " + id + ": " + e.getMessage(), e);
        }
    }

    private interface Binder {
        void bind(PreparedStatement s) throws SQLException;
    }

    private List<Listed> query(String sql, Binder binder) {
        List<Listed> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            binder.bind(s);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(
                            new Listed(
                                    r.getLong(1),
                                    Kind.valueOf(r.getString(2).toUpperCase(Locale.ROOT)),
                                    r.getString(3),
                                    r.getString(4),
                                    r.getString(5),
                                    r.getString(6),
                                    r.getTimestamp(7).toInstant(),
                                    r.getInt(8)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the reports: " + e.getMessage(), e);
        }
        return out;
    }

    private static void version(String what, String value) {
        if (value == null || !VERSION.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "the report's " + what + " is not a version: " + value);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
