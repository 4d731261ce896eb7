package org.fraudplatform.providers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;

/** The {@link SharedJournal} in PostgreSQL ({@code provider_journal}). */
public final class DatabaseJournal implements SharedJournal {

    private static final String COLUMNS =
            "at, payment_id, operation, operation_id, amount, currency, outcome, reference, code";

    private final DataSource dataSource;

    public DatabaseJournal(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public JournalEntry append(String provider, JournalEntry e) {
        String insert =
                "INSERT INTO provider_journal (provider, "
                        + COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
        String opId = e.operationId() == null ? "" : e.operationId();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement s = c.prepareStatement(insert)) {
                s.setString(1, provider);
                s.setTimestamp(2, Timestamp.from(e.time()));
                s.setString(3, e.paymentId());
                s.setString(4, e.operation().name());
                s.setString(5, opId);
                s.setLong(6, e.amount());
                s.setString(7, e.currency());
                s.setString(8, e.outcome().name());
                s.setString(9, e.reference());
                s.setString(10, e.code());
                if (s.executeUpdate() == 1) {
                    return e;
                }
            }
            try (PreparedStatement s =
                    c.prepareStatement(
                            "SELECT "
                                    + COLUMNS
                                    + " FROM provider_journal WHERE provider = ? AND payment_id = ?"
                                    + " AND operation_id = ?")) {
                s.setString(1, provider);
                s.setString(2, e.paymentId());
                s.setString(3, opId);
                List<JournalEntry> earlier = read(s);
                if (earlier.isEmpty()) {
                    throw new IllegalStateException("journal entry vanished: " + e);
                }
                return earlier.get(0);
            }
        } catch (SQLException x) {
            throw new IllegalStateException("cannot journal " + e + ": " + x.getMessage(), x);
        }
    }

    @Override
    public List<JournalEntry> forPayment(String provider, String paymentId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "SELECT "
                                        + COLUMNS
                                        + " FROM provider_journal WHERE provider = ? AND"
                                        + " payment_id = ? ORDER BY at, operation_id")) {
            s.setString(1, provider);
            s.setString(2, paymentId);
            return read(s);
        } catch (SQLException x) {
            throw new IllegalStateException("cannot read the provider journal", x);
        }
    }

    /** Everything the provider performed, in the order it did. */
    public List<JournalEntry> all(String provider) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "SELECT "
                                        + COLUMNS
                                        + " FROM provider_journal WHERE provider = ?"
                                        + " ORDER BY at, payment_id, operation_id")) {
            s.setString(1, provider);
            return read(s);
        } catch (SQLException x) {
            throw new IllegalStateException("cannot read the provider journal", x);
        }
    }

    /** What the provider performed on one UTC day, in the order it did (as {@link #all}). */
    public List<JournalEntry> onDay(String provider, java.time.LocalDate day) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "SELECT "
                                        + COLUMNS
                                        + " FROM provider_journal WHERE provider = ? AND at >= ?"
                                        + " AND at < ? ORDER BY at, payment_id, operation_id")) {
            s.setString(1, provider);
            s.setTimestamp(
                    2,
                    java.sql.Timestamp.from(
                            day.atStartOfDay(java.time.ZoneOffset.UTC).toInstant()));
            s.setTimestamp(
                    3,
                    java.sql.Timestamp.from(
                            day.plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()));
            return read(s);
        } catch (SQLException x) {
            throw new IllegalStateException("cannot read the provider journal", x);
        }
    }

    @Override
    public Optional<String> paymentOf(String provider, String reference) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "SELECT payment_id FROM provider_journal WHERE provider = ? AND"
                                        + " reference = ? AND operation_id = ''")) {
            s.setString(1, provider);
            s.setString(2, reference);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException x) {
            throw new IllegalStateException("cannot read the provider journal", x);
        }
    }

    private static List<JournalEntry> read(PreparedStatement s) throws SQLException {
        List<JournalEntry> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                String opId = rs.getString(4);
                out.add(
                        new JournalEntry(
                                rs.getTimestamp(1).toInstant(),
                                rs.getString(2),
                                JournalEntry.Operation.valueOf(
                                        rs.getString(3).toUpperCase(Locale.ROOT)),
                                opId.isEmpty() ? null : opId,
                                rs.getLong(5),
                                rs.getString(6),
                                ProviderResult.Outcome.valueOf(rs.getString(7)),
                                rs.getString(8),
                                rs.getString(9)));
            }
        }
        return out;
    }
}
