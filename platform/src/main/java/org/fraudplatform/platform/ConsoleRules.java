package org.fraudplatform.platform;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fraudplatform.api.console.RulesetHistory;
import org.fraudplatform.risk.RulesetReleases;
import org.fraudplatform.risk.releases.RulesetProposals;
import org.fraudplatform.risk.signing.ReleaseSigner;
import org.fraudplatform.risk.signing.TrustedKeys;
import org.fraudplatform.runtime.KafkaConnection;
import org.fraudplatform.schemas.RulesetRelease;
import org.fraudplatform.schemas.topics.Topics;

/**
 * The ruleset releases for the console's rules pages, read from and written to {@code
 * rules.rulesets} through {@link RulesetReleases}, as {@code bin/fraud rules history|rollback} do:
 * a rollback from the console is signed with the platform's release-signing key and audited under
 * the person's name. A release that the trusted keys did not sign carries the scoring instances'
 * reason to refuse it, and is never the live one.
 */
final class ConsoleRules implements RulesetHistory, AutoCloseable {

    private final RulesetReleases releases;
    private final RulesetProposals proposals;

    ConsoleRules(
            KafkaConnection kafka,
            Topics topics,
            ReleaseSigner signer,
            TrustedKeys trusted,
            javax.sql.DataSource dataSource) {
        this.releases = new RulesetReleases(kafka, topics, signer, trusted);
        this.proposals = new RulesetProposals(dataSource, java.time.Clock.systemUTC());
    }

    @Override
    public List<Proposal> proposals() {
        return proposals.pending().stream()
                .map(
                        p ->
                                new Proposal(
                                        p.release().getVersion(),
                                        p.release().getMessage(),
                                        p.release().getCases(),
                                        release(p.release(), null).files(),
                                        p.proposedBy(),
                                        p.proposedAt()))
                .toList();
    }

    @Override
    public Release approve(String version, String person) {
        try {
            return release(
                    proposals.approve(version, person, p -> releases.publishApproved(p, person)),
                    null);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while putting the release live", e);
        } catch (Exception e) {
            throw new IllegalStateException("the release did not go live: " + e.getMessage(), e);
        }
    }

    @Override
    public List<Release> releases() {
        List<Release> out = new ArrayList<>();
        for (RulesetReleases.Entry e : releases.checkedHistory()) {
            out.add(release(e.release(), e.trusted() ? null : e.refusal().message()));
        }
        Collections.reverse(out);
        return out;
    }

    @Override
    public Release rollback(String version, String person) {
        try {
            return release(
                    releases.rollback(version, person)
                            .orElseThrow(
                                    () ->
                                            new IllegalArgumentException(
                                                    "no release has version " + version)),
                    null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while putting the release live", e);
        } catch (java.util.concurrent.ExecutionException
                | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(
                    "the broker did not take the release: " + e.getMessage(), e);
        }
    }

    private static Release release(RulesetRelease r, String refusal) {
        Map<String, String> files = new TreeMap<>();
        for (Map.Entry<String, ByteBuffer> f : r.getFiles().entrySet()) {
            ByteBuffer b = f.getValue().duplicate();
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            files.put(f.getKey(), new String(bytes, StandardCharsets.UTF_8));
        }
        return new Release(
                r.getVersion(),
                r.getKind().name().toLowerCase(),
                r.getAuthor(),
                r.getMessage(),
                r.getReleasedAt(),
                r.getCases(),
                files,
                refusal);
    }

    @Override
    public void close() {
        releases.close();
    }
}
