package org.fraudplatform.risk.releases;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.fraudplatform.risk.approvals.ProposalTable;
import org.fraudplatform.schemas.RulesetRelease;

/**
 * Four eyes on the rules ({@code ruleset_proposals}): a release one person proposes ({@code rules
 * deploy --require-approval}) goes live only when another person approves it ({@code rules
 * approve}); the proposer's own approval is refused. A proposal waits unsigned; the approval signs
 * and publishes it, and is recorded only once it is published ({@link ProposalTable}).
 */
public final class RulesetProposals {

    /** A release waiting for its second person. */
    public record Proposal(RulesetRelease release, String proposedBy, Instant proposedAt) {}

    /** Publishes an approved release; what it returns is what went live. */
    @FunctionalInterface
    public interface Publisher {
        RulesetRelease publish(RulesetRelease approved) throws Exception;
    }

    private final ProposalTable table;

    public RulesetProposals(DataSource dataSource, Clock clock) {
        this.table =
                new ProposalTable(
                        dataSource,
                        clock,
                        "ruleset_proposals",
                        "release",
                        new ProposalTable.Wording(
                                v -> "ruleset " + v,
                                v -> "proposal of ruleset " + v,
                                "fraud rules proposals",
                                "rules"));
    }

    /**
     * Records a proposal.
     *
     * @throws IllegalArgumentException when that version already waits for approval
     */
    public void propose(RulesetRelease unsigned, String by) {
        table.propose(unsigned.getVersion(), encode(unsigned), by);
    }

    /** The proposals waiting for approval, oldest first. */
    public List<Proposal> pending() {
        return table.pending().stream()
                .map(r -> new Proposal(decode(r.payload()), r.proposedBy(), r.proposedAt()))
                .toList();
    }

    /**
     * Approves a waiting proposal: publishes it through {@code publisher} and records who approved
     * it, in one transaction that holds the proposal meanwhile. Nothing is recorded when the
     * publisher fails.
     *
     * @throws IllegalArgumentException for a version that waits for no approval, or when {@code
     *     approver} proposed it
     */
    public RulesetRelease approve(String version, String approver, Publisher publisher)
            throws Exception {
        return table.approve(version, approver, row -> publisher.publish(decode(row.payload())));
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
