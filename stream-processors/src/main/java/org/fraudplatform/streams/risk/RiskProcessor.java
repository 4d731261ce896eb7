package org.fraudplatform.streams.risk;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.fraudplatform.schemas.PaymentRequest;
import org.fraudplatform.schemas.ReasonCode;
import org.fraudplatform.schemas.RiskAction;
import org.fraudplatform.schemas.RiskDecision;
import org.fraudplatform.schemas.topics.Keys;
import org.fraudplatform.streams.velocity.CardFeatures;
import org.fraudplatform.streams.velocity.CardHistory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Updates the card's velocity state, scores the payment, and emits exactly one decision per
 * request.
 *
 * <p>Input: valid {@link PaymentRequest}s keyed by instrument key. Output: {@link RiskDecision}
 * keyed by payment id. State: {@link RiskTopology#CARD_VELOCITY_STORE}, instrument key → {@link
 * CardHistory}; a wall-clock punctuation removes cards idle for longer than the retention. A scorer
 * failure never approves: the payment goes to review with {@code RISK_ENGINE_ERROR}.
 */
final class RiskProcessor implements Processor<String, PaymentRequest, String, RiskDecision> {

    static final String ENGINE_ERROR = "RISK_ENGINE_ERROR";
    private static final Logger log = LoggerFactory.getLogger(RiskProcessor.class);

    private final RiskSettings settings;
    private final RiskScorer scorer;
    private ProcessorContext<String, RiskDecision> context;
    private KeyValueStore<String, CardHistory> cards;

    RiskProcessor(RiskSettings settings, RiskScorer scorer) {
        this.settings = settings;
        this.scorer = scorer;
    }

    @Override
    public void init(ProcessorContext<String, RiskDecision> context) {
        this.context = context;
        this.cards = context.getStateStore(RiskTopology.CARD_VELOCITY_STORE);
        context.schedule(
                settings.cleanupInterval(), PunctuationType.WALL_CLOCK_TIME, this::removeIdleCards);
    }

    @Override
    public void process(Record<String, PaymentRequest> record) {
        long started = System.nanoTime();
        PaymentRequest request = record.value();
        String instrumentKey = Keys.instrumentKey(request);

        CardHistory history = cards.get(instrumentKey);
        if (history == null) {
            history = CardHistory.empty();
        }
        CardFeatures card =
                history.record(
                        request.getEventTime().toEpochMilli(),
                        request.getAmount(),
                        settings.allowedLateness());
        cards.put(instrumentKey, history);

        Map<String, Double> features = card.asMap();
        RiskScorer.Verdict verdict = scoreSafely(request, features);
        long micros = (System.nanoTime() - started) / 1_000;

        RiskDecision decision =
                RiskDecision.newBuilder()
                        .setPaymentId(request.getPaymentId())
                        .setMerchantId(request.getMerchantId())
                        .setCorrelationId(request.getCorrelationId())
                        .setAction(verdict.action())
                        .setScore(verdict.score())
                        .setReasons(verdict.reasons())
                        .setRulesetVersion(verdict.rulesetVersion())
                        .setModelVersion(verdict.modelVersion())
                        .setFeatures(features)
                        .setDecisionLatencyMicros(micros)
                        .setDecidedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
                        .setReplyPartition(request.getReplyPartition())
                        .build();
        context.forward(record.withKey(request.getPaymentId()).withValue(decision));
    }

    private RiskScorer.Verdict scoreSafely(PaymentRequest request, Map<String, Double> features) {
        try {
            return scorer.score(request, features);
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

    private void removeIdleCards(long nowMillis) {
        long cutoff = nowMillis - settings.idleCardRetention().toMillis();
        int removed = 0;
        try (KeyValueIterator<String, CardHistory> all = cards.all()) {
            while (all.hasNext()) {
                KeyValue<String, CardHistory> entry = all.next();
                if (entry.value.lastSeenMillis() < cutoff) {
                    cards.delete(entry.key);
                    removed++;
                }
            }
        }
        if (removed > 0) {
            log.debug("removed {} idle cards from {}", removed, RiskTopology.CARD_VELOCITY_STORE);
        }
    }
}
