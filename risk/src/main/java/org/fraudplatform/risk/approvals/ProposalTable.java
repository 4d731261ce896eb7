package org.fraudplatform.risk.approvals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * Four eyes in PostgreSQL: a table of changes one person proposes and another approves ({@code
 * version} the key; {@code proposed_by}, {@code proposed_at}, {@code approved_by}, {@code
 * approved_at}; optionally a payload column holding what was proposed). The proposer's own approval
 * is refused; an approval holds the proposal in one transaction while the change is made, so two
 * approvers do not both make it, and it is recorded only when the change was made. A version
 * approved before may be proposed again.
 */
public final class ProposalTable {

    /** A proposal waiting for its second person; {@code payload} null for a table without one. */
    public record Row(String version, byte[] payload, String proposedBy, Instant proposedAt) {}

    /** Makes the approved change; what it returns is the caller's. */
    @FunctionalInterface
    public interface Change<T> {
        T make(Row approved) throws Exception;
    }

    /**
     * How the table's proposals are named in refusals.
     *
     * @param subject a version as the subject of a sentence: "ruleset V", "the promotion of model
     *     V"
     * @param proposal a version's proposal: "proposal of ruleset V", "promotion of model V"
     * @param listCommand the command that lists what waits: "fraud rules proposals"
     * @param permission the permission an approver needs, in words: "rules"
     */
    public record Wording(
            Function<String, String> subject,
            Function<String, String> proposal,
            String listCommand,
            String permission) {}

    private final DataSource dataSource;
    private final Clock clock;
    private final String table;
    private final String payloadColumn;
    private final Wording wording;

    /**
     * @param table the table's name (a constant of the caller, never input)
     * @param payloadColumn the column holding what was proposed, or null
     */
    public ProposalTable(
            DataSource dataSource,
            Clock clock,
            String table,
            String payloadColumn,
            Wording wording) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.table = table;
        this.payloadColumn = payloadColumn;
        this.wording = wording;
    }

    /**
     * Records a proposal.
     *
     * @throws IllegalArgumentException when that version already waits for approval
     */
    public void propose(String version, byte[] payload, String by) {
        String payloadInsert = payloadColumn == null ? "" : ", " + payloadColumn;
        String payloadValue = payloadColumn == null ? "" : ", ?";
        String payloadUpdate =
                payloadColumn == null ? "" : payloadColumn + " = EXCLUDED." + payloadColumn + ", ";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "INSERT INTO "
                                        + table
                                        + " (version, proposed_by, proposed_at"
                                        + payloadInsert
                                        + ") VALUES (?, ?, ?"
                                        + payloadValue
                                        + ") ON CONFLICT (version) DO UPDATE SET "
                                        + payloadUpdate
                                        + "proposed_by = EXCLUDED.proposed_by, proposed_at ="
                                        + " EXCLUDED.proposed_at, approved_by = NULL,"
                                        + " approved_at = NULL WHERE "
                                        + table
                                        + ".approved_at IS NOT NULL")) {
            s.setString(1, version);
            s.setString(2, by);
            s.setTimestamp(3, Timestamp.from(clock.instant()));
            if (payloadColumn != null) {
                s.setBytes(4, payload);
            }
            if (s.executeUpdate() == 0) {
                throw new IllegalArgumentException(
                        wording.subject().apply(version)
                                + " already waits for approval ("
                                + wording.listCommand()
                                + ")");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the proposal: " + e.getMessage(), e);
        }
    }

    /** The proposals waiting for approval, oldest first. */
    public List<Row> pending() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "SELECT "
                                        + columns()
                                        + " FROM "
                                        + table
                                        + " WHERE approved_at IS NULL ORDER BY proposed_at,"
                                        + " version");
                ResultSet r = s.executeQuery()) {
            List<Row> out = new ArrayList<>();
            while (r.next()) {
                out.add(row(r));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the proposals: " + e.getMessage(), e);
        }
    }

    /**
     * Approves a waiting proposal: makes the change through {@code change} and records who approved
     * it, in one transaction that holds the proposal meanwhile (a second approver waits, then finds
     * it approved). Nothing is recorded when the change fails.
     *
     * @throws IllegalArgumentException for a version that waits for no approval, or when {@code
     *     approver} proposed it
     */
    public <T> T approve(String version, String approver, Change<T> change) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Row p;
                try (PreparedStatement s =
                        c.prepareStatement(
                                "SELECT "
                                        + columns()
                                        + " FROM "
                                        + table
                                        + " WHERE version = ? AND approved_at IS NULL FOR"
                                        + " UPDATE")) {
                    s.setString(1, version);
                    try (ResultSet r = s.executeQuery()) {
                        if (!r.next()) {
                            throw new IllegalArgumentException(
                                    "no "
                                            + wording.proposal().apply(version)
                                            + " waits for approval ("
                                            + wording.listCommand()
                                            + ")");
                        }
                        p = row(r);
                    }
                }
                if (p.proposedBy().equals(approver)) {
                    throw new IllegalArgumentException(
                            "four eyes: "
                                    + approver
                                    + " proposed "
                                    + wording.subject().apply(version)
                                    + " and cannot approve it; another person with the "
                                    + wording.permission()
                                    + " permission must");
                }
                T made = change.make(p);
                try (PreparedStatement s =
                        c.prepareStatement(
                                "UPDATE "
                                        + table
                                        + " SET approved_by = ?, approved_at = ? WHERE version ="
                                        + " ?")) {
                    s.setString(1, approver);
                    s.setTimestamp(2, Timestamp.from(clock.instant()));
                    s.setString(3, version);
                    s.executeUpdate();
                }
                c.commit();
                return made;
            } catch (Exception e) {
                c.rollback();
                throw e;
            }
        }
    }

    private String columns() {
        return "version, proposed_by, proposed_at"
                + (payloadColumn == null ? "" : ", " + payloadColumn);
    }

    private Row row(ResultSet r) throws SQLException {
        return new Row(
                r.getString(1),
                payloadColumn == null ? null : r.getBytes(4),
                r.getString(2),
                r.getTimestamp(3).toInstant());
    }
}
