package org.fraudplatform.risk.releases;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
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
import org.fraudplatform.schemas.RulesetRelease;

/**
 * Four eyes on the rules ({@code ruleset_proposals}): a release one person proposes ({@code rules
 * deploy --require-approval}) goes live only when another person approves it ({@code rules
 * approve}); the proposer's own approval is refused. A proposal waits unsigned; the approval signs
 * and publishes it, and is recorded only once it is published.
 */
public final class RulesetProposals {

    /** A release waiting for its second person. */
    public record Proposal(RulesetRelease release, String proposedBy, Instant proposedAt) {}

    /** Publishes an approved release; what it returns is what went live. */
    @FunctionalInterface
    public interface Publisher {
        RulesetRelease publish(RulesetRelease approved) throws Exception;
    }

    private final DataSource dataSource;
    private final Clock clock;

    public RulesetProposals(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /**
     * Records a proposal.
     *
     * @throws IllegalArgumentException when that version already waits for approval
     */
    public void propose(RulesetRelease unsigned, String by) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "INSERT INTO ruleset_proposals (version, release, proposed_by,"
                                        + " proposed_at) VALUES (?, ?, ?, ?) ON CONFLICT (version) DO"
                                        + " UPDATE SET release = EXCLUDED.release, proposed_by ="
                                        + " EXCLUDED.proposed_by, proposed_at = EXCLUDED.proposed_at,"
                                        + " approved_by = NULL, approved_at = NULL WHERE"
                                        + " ruleset_proposals.approved_at IS NOT NULL")) {
            s.setString(1, unsigned.getVersion());
            s.setBytes(2, encode(unsigned));
            s.setString(3, by);
            s.setTimestamp(4, Timestamp.from(clock.instant()));
            if (s.executeUpdate() == 0) {
                throw new IllegalArgumentException(
                        "ruleset "
                                + unsigned.getVersion()
                                + " already waits for approval (fraud rules proposals)");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the proposal: " + e.getMessage(), e);
        }
    }

    /** The proposals waiting for approval, oldest first. */
    public List<Proposal> pending() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "SELECT release, proposed_by, proposed_at FROM ruleset_proposals"
                                        + " WHERE approved_at IS NULL ORDER BY proposed_at,"
                                        + " version");
                ResultSet r = s.executeQuery()) {
            List<Proposal> out = new ArrayList<>();
            while (r.next()) {
                out.add(
                        new Proposal(
                                decode(r.getBytes(1)),
                                r.getString(2),
                                r.getTimestamp(3).toInstant()));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the proposals: " + e.getMessage(), e);
        }
    }

    /**
     * Approves a waiting proposal: publishes it through {@code publisher} and records who approved
     * it, in one transaction that holds the proposal meanwhile (a second approver waits, then finds
     * it approved). Nothing is recorded when the publisher fails.
     *
     * @throws IllegalArgumentException for a version that waits for no approval, or when {@code
     *     approver} proposed it
     */
    public RulesetRelease approve(String version, String approver, Publisher publisher)
            throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Proposal p;
                try (PreparedStatement s =
                        c.prepareStatement(
                                "SELECT release, proposed_by, proposed_at FROM ruleset_proposals"
                                        + " WHERE version = ? AND approved_at IS NULL FOR"
                                        + " UPDATE")) {
                    s.setString(1, version);
                    try (ResultSet r = s.executeQuery()) {
                        if (!r.next()) {
                            throw new IllegalArgumentException(
                                    "no proposal of ruleset "
                                            + version
                                            + " waits for approval (fraud rules proposals)");
                        }
                        p =
                                new Proposal(
                                        decode(r.getBytes(1)),
                                        r.getString(2),
                                        r.getTimestamp(3).toInstant());
                    }
                }
                if (p.proposedBy().equals(approver)) {
                    throw new IllegalArgumentException(
                            "four eyes: "
                                    + approver
                                    + " proposed ruleset "
                                    + version
                                    + " and cannot approve it; another person with the rules"
                                    + " permission must");
                }
                RulesetRelease live = publisher.publish(p.release());
                try (PreparedStatement s =
                        c.prepareStatement(
                                "UPDATE ruleset_proposals SET approved_by = ?, approved_at = ?"
                                        + " WHERE version = ?")) {
                    s.setString(1, approver);
                    s.setTimestamp(2, Timestamp.from(clock.instant()));
                    s.setString(3, version);
                    s.executeUpdate();
                }
                c.commit();
                return live;
            } catch (Exception e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static byte[] encode(RulesetRelease release) {
        try {
            ByteBuffer b = release.toByteBuffer();
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RulesetRelease decode(byte[] bytes) {
        try {
            return RulesetRelease.fromByteBuffer(ByteBuffer.wrap(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("a stored proposal does not decode", e);
        }
    }
}
