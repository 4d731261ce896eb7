package org.fraudplatform.risk.models;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.fraudplatform.risk.approvals.ProposalTable;
import org.fraudplatform.schemas.ModelRelease;

/**
 * Four eyes on the models ({@code model_proposals}): a promotion to champion one person proposes
 * ({@code models promote --require-approval}) happens only when another person approves it ({@code
 * models approve}); the proposer's own approval is refused. The approval is recorded only once the
 * promotion is published ({@link ProposalTable}).
 */
public final class ModelProposals {

    /** A promotion waiting for its second person. */
    public record Proposal(String version, String proposedBy, Instant proposedAt) {}

    /** Promotes an approved version; what it returns is the champion as published. */
    @FunctionalInterface
    public interface Promoter {
        ModelRelease promote(Proposal approved) throws Exception;
    }

    private final ProposalTable table;

    public ModelProposals(DataSource dataSource, Clock clock) {
        this.table =
                new ProposalTable(
                        dataSource,
                        clock,
                        "model_proposals",
                        null,
                        new ProposalTable.Wording(
                                v -> "the promotion of model " + v,
                                v -> "promotion of model " + v,
                                "fraud models proposals",
                                "models"));
    }

    /**
     * Records a proposal; a version approved before may be proposed again.
     *
     * @throws IllegalArgumentException when that version's promotion already waits for approval
     */
    public void propose(String version, String by) {
        table.propose(version, null, by);
    }

    /** The promotions waiting for approval, oldest first. */
    public List<Proposal> pending() {
        return table.pending().stream().map(ModelProposals::proposal).toList();
    }

    /**
     * Approves a waiting proposal: promotes it through {@code promoter} and records who approved
     * it, in one transaction that holds the proposal meanwhile. Nothing is recorded when the
     * promotion fails.
     *
     * @throws IllegalArgumentException for a version whose promotion waits for no approval, or when
     *     {@code approver} proposed it
     */
    public ModelRelease approve(String version, String approver, Promoter promoter)
            throws Exception {
        return table.approve(version, approver, row -> promoter.promote(proposal(row)));
    }

    private static Proposal proposal(ProposalTable.Row row) {
        return new Proposal(row.version(), row.proposedBy(), row.proposedAt());
    }
}
