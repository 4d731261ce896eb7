package org.fraudplatform.risk;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.fraudplatform.runtime.metrics.DomainMetrics;
import org.fraudplatform.schemas.FeatureEntity;
import org.fraudplatform.schemas.FeaturePart;
import org.fraudplatform.schemas.PaymentRequest;
import org.fraudplatform.schemas.PendingDecision;
import org.fraudplatform.schemas.ReasonCode;
import org.fraudplatform.schemas.RiskAction;
import org.fraudplatform.schemas.RiskDecision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last step of a decision: gathers the entities' feature parts of a payment, scores the whole
 * vector and emits exactly one decision.
 *
 * <p>Input: {@link FeaturePart}s keyed by payment id, on the partition that holds the payment's
 * {@link PendingDecision}. Output: one {@link RiskDecision} per request, keyed by payment id, with
 * the features in catalogue order. A payment whose parts do not all arrive within the feature
 * timeout, or whose entity refused it as late, is still decided, but never approved on missing
 * features: it goes at least to review with {@code FEATURES_INCOMPLETE}. A scorer failure never
 * approves either: review with {@code RISK_ENGINE_ERROR}. A part for a payment already decided
 * (after a timeout, or replayed) changes nothing.
 */
final class DecisionJoin implements Processor<String, FeaturePart, String, RiskDecision> {

    static final String ENGINE_ERROR = "RISK_ENGINE_ERROR";
    static final String FEATURES_INCOMPLETE = "FEATURES_INCOMPLETE";
    private static final Logger log = LoggerFactory.getLogger(DecisionJoin.class);

    private final RiskSettings settings;
    private final RiskScorer scorer;
    private final Parking parking;
    private ProcessorContext<String, RiskDecision> context;
    private KeyValueStore<String, PendingDecision> pending;
    private KeyValueStore<String, byte[]> lists;

    DecisionJoin(RiskSettings settings, RiskScorer scorer, Parking parking) {
        this.settings = settings;
        this.scorer = scorer;
        this.parking = parking;
    }

    @Override
    public void init(ProcessorContext<String, RiskDecision> context) {
        this.context = context;
        this.pending = context.getStateStore(RiskTopology.PENDING_STORE);
        this.lists = context.getStateStore(RiskTopology.LISTS_STORE);
        context.schedule(
                settings.timeoutCheckInterval(),
                PunctuationType.WALL_CLOCK_TIME,
                this::decideOverdue);
    }

    @Override
    public void process(Record<String, FeaturePart> record) {
        FeaturePart part = record.value();
        // a part answered in place finds its payment still with the fan-out, not yet stored
        PendingDecision opened = parking.opened(context.taskId(), part.getPaymentId());
        PendingDecision waiting = opened != null ? opened : pending.get(part.getPaymentId());
        if (waiting == null) {
            log.debug(
                    "{} features of payment {} arrived after its decision",
                    part.getEntity(),
                    part.getPaymentId());
            return;
        }
        if (waiting.getArrived().contains(part.getEntity())) {
            return;
        }
        List<FeatureEntity> arrived = new ArrayList<>(waiting.getArrived());
        arrived.add(part.getEntity());
        waiting.setArrived(arrived);
        Map<String, Double> features = new HashMap<>(waiting.getFeatures());
        features.putAll(part.getFeatures());
        waiting.setFeatures(features);
        if (part.getProblem() != null) {
            List<String> problems = new ArrayList<>(waiting.getProblems());
            problems.add(part.getProblem());
            waiting.setProblems(problems);
        }
        if (arrived.containsAll(waiting.getExpected())) {
            if (opened != null) {
                parking.decided(context.taskId(), part.getPaymentId());
            } else {
                pending.delete(part.getPaymentId());
            }
            decide(waiting);
        } else if (opened == null) {
            pending.put(part.getPaymentId(), waiting);
        }
    }

    private void decideOverdue(long nowMillis) {
        List<KeyValue<String, PendingDecision>> overdue = new ArrayList<>();
        try (KeyValueIterator<String, PendingDecision> all = pending.all()) {
            while (all.hasNext()) {
                KeyValue<String, PendingDecision> entry = all.next();
                if (entry.value.getTimeoutAtMillis() <= nowMillis) {
                    overdue.add(entry);
                }
            }
        }
        for (KeyValue<String, PendingDecision> entry : overdue) {
            PendingDecision waiting = entry.value;
            String missing =
                    waiting.getExpected().stream()
                            .filter(e -> !waiting.getArrived().contains(e))
                            .map(e -> e.name().toLowerCase(java.util.Locale.ROOT))
                            .collect(Collectors.joining(", "));
            List<String> problems = new ArrayList<>(waiting.getProblems());
            problems.add(
                    "no "
                            + missing
                            + " features within "
                            + settings.featureTimeout().toMillis()
                            + " ms");
            waiting.setProblems(problems);
            pending.delete(entry.key);
            log.warn("deciding payment {} without its {} features", entry.key, missing);
            decide(waiting);
        }
    }

    private void decide(PendingDecision waiting) {
        PaymentRequest request = waiting.getRequest();
        Map<String, Double> features = settings.catalogue().orderedVector(waiting.getFeatures());
        RiskScorer.Verdict verdict = scoreSafely(request, features);
        RiskAction action = verdict.action();
        List<ReasonCode> reasons = new ArrayList<>(verdict.reasons());
        if (!waiting.getProblems().isEmpty()) {
            if (action == RiskAction.APPROVE) {
                action = RiskAction.REVIEW;
            }
            reasons.add(
                    new ReasonCode(
                            FEATURES_INCOMPLETE,
                            "Decided on incomplete features: "
                                    + String.join("; ", waiting.getProblems()),
                            "features"));
        }
        long micros = FeatureFanOut.nowMicros() - waiting.getStartedAtMicros();
        RiskDecision decision =
                RiskDecision.newBuilder()
                        .setPaymentId(request.getPaymentId())
                        .setMerchantId(request.getMerchantId())
                        .setCorrelationId(request.getCorrelationId())
                        .setAction(action)
                        .setScore(verdict.score())
                        .setReasons(reasons)
                        .setRulesetVersion(verdict.rulesetVersion())
                        .setModelVersion(verdict.modelVersion())
                        .setFeatures(features)
                        .setDecisionLatencyMicros(Math.max(0, micros))
                        .setDecidedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
                        .setReplyPartition(request.getReplyPartition())
                        .setShadowAction(verdict.shadowAction())
                        .setShadowReasons(verdict.shadowReasons())
                        .setModelScore(
                                verdict.models() == null ? null : verdict.models().champion())
                        .setShadowModelVersion(
                                verdict.models() == null ? null : verdict.models().shadowVersion())
                        .setShadowModelScore(
                                verdict.models() == null ? null : verdict.models().shadow())
                        .build();
        DomainMetrics.decided(decision);
        context.forward(
                new Record<>(
                        request.getPaymentId(), decision, request.getEventTime().toEpochMilli()));
    }

    private RiskScorer.Verdict scoreSafely(PaymentRequest request, Map<String, Double> features) {
        try {
            return scorer.score(
                    request,
                    features,
                    new StoreLists(lists, request.getEventTime().toEpochMilli()));
        } catch (RuntimeException e) {
            log.error(
                    "scoring payment {} failed; holding it for review", request.getPaymentId(), e);
            return new RiskScorer.Verdict(
                    RiskAction.REVIEW,
                    1.0,
                    List.of(
                            new ReasonCode(
                                    ENGINE_ERROR,
                                    "The risk engine failed on this payment; a person must look at it",
                                    "engine")),
                    scorer.rulesetVersion(),
                    null);
        }
    }
}
