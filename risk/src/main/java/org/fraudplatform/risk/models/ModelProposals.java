package org.fraudplatform.risk.models;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.fraudplatform.schemas.ModelRelease;

/**
 * Four eyes on the models ({@code model_proposals}): a promotion to champion one person proposes
 * ({@code models promote --require-approval}) happens only when another person approves it ({@code
 * models approve}); the proposer's own approval is refused. The approval is recorded only once the
 * promotion is published.
 */
public final class ModelProposals {

    /** A promotion waiting for its second person. */
    public record Proposal(String version, String proposedBy, Instant proposedAt) {}

    /** Promotes an approved version; what it returns is the champion as published. */
    @FunctionalInterface
    public interface Promoter {
        ModelRelease promote(Proposal approved) throws Exception;
    }

    private final DataSource dataSource;
    private final Clock clock;

    public ModelProposals(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /**
     * Records a proposal; a version approved before may be proposed again.
     *
     * @throws IllegalArgumentException when that version's promotion already waits for approval
     */
    public void propose(String version, String by) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "INSERT INTO model_proposals (version, proposed_by, proposed_at)"
                                        + " VALUES (?, ?, ?) ON CONFLICT (version) DO UPDATE SET"
                                        + " proposed_by = EXCLUDED.proposed_by, proposed_at ="
                                        + " EXCLUDED.proposed_at, approved_by = NULL, approved_at"
                                        + " = NULL WHERE model_proposals.approved_at IS NOT"
                                        + " NULL")) {
            s.setString(1, version);
            s.setString(2, by);
            s.setTimestamp(3, Timestamp.from(clock.instant()));
            if (s.executeUpdate() == 0) {
                throw new IllegalArgumentException(
                        "the promotion of model "
                                + version
                                + " already waits for approval (fraud models proposals)");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the proposal: " + e.getMessage(), e);
        }
    }

    /** The promotions waiting for approval, oldest first. */
    public List<Proposal> pending() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "SELECT version, proposed_by, proposed_at FROM model_proposals"
                                        + " WHERE approved_at IS NULL ORDER BY proposed_at,"
                                        + " version");
                ResultSet r = s.executeQuery()) {
            List<Proposal> out = new ArrayList<>();
            while (r.next()) {
                out.add(
                        new Proposal(
                                r.getString(1), r.getString(2), r.getTimestamp(3).toInstant()));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the proposals: " + e.getMessage(), e);
        }
    }

    /**
     * Approves a waiting proposal: promotes it through {@code promoter} and records who approved
     * it, in one transaction that holds the proposal meanwhile (a second approver waits, then finds
     * it approved). Nothing is recorded when the promotion fails.
     *
     * @throws IllegalArgumentException for a version whose promotion waits for no approval, or when
     *     {@code approver} proposed it
     */
    public ModelRelease approve(String version, String approver, Promoter promoter)
            throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Proposal p;
                try (PreparedStatement s =
                        c.prepareStatement(
                                "SELECT version, proposed_by, proposed_at FROM model_proposals"
                                        + " WHERE version = ? AND approved_at IS NULL FOR UPDATE")) {
                    s.setString(1, version);
                    try (ResultSet r = s.executeQuery()) {
                        if (!r.next()) {
                            throw new IllegalArgumentException(
                                    "no promotion of model "
                                            + version
                                            + " waits for approval (fraud models proposals)");
                        }
                        p =
                                new Proposal(
                                        r.getString(1),
                                        r.getString(2),
                                        r.getTimestamp(3).toInstant());
                    }
                }
                if (p.proposedBy().equals(approver)) {
                    throw new IllegalArgumentException(
                            "four eyes: "
                                    + approver
                                    + " proposed the promotion of model "
                                    + version
                                    + " and cannot approve it; another person with the models"
                                    + " permission must");
                }
                ModelRelease champion = promoter.promote(p);
                try (PreparedStatement s =
                        c.prepareStatement(
                                "UPDATE model_proposals SET approved_by = ?, approved_at = ?"
                                        + " WHERE version = ?")) {
                    s.setString(1, approver);
                    s.setTimestamp(2, Timestamp.from(clock.instant()));
                    s.setString(3, version);
                    s.executeUpdate();
                }
                c.commit();
                return champion;
            } catch (Exception e) {
                c.rollback();
                throw e;
            }
        }
    }
}
