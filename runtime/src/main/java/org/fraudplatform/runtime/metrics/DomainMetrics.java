package org.fraudplatform.runtime.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.fraudplatform.schemas.CommandOutcome;
import org.fraudplatform.schemas.DeadLetter;
import org.fraudplatform.schemas.ReasonCode;
import org.fraudplatform.schemas.ReconciliationCategory;
import org.fraudplatform.schemas.RiskAction;
import org.fraudplatform.schemas.RiskDecision;

/**
 * What the platform counts about its own work: decisions and their reasons, rule hits, model
 * scores, ledger commands, dead letters, provider calls, webhook deliveries and reconciliation
 * items. The one list of the domain metrics; {@code docs/operations.md} explains each, the
 * dashboards and alerts in {@code deploy/} query them.
 *
 * <p>They are recorded to Micrometer's global registry: the code that records them runs in Kafka
 * Streams processors and workers that Kafka and the roles create, far from the process's
 * composition root. Each process adds its exporter to the global registry when it starts (the
 * platform's Prometheus registry, served at {@code /metrics}) and removes it when it stops; until
 * then recording costs a map lookup and counts nowhere. A replayed record (a stream task retried
 * after a crash) is counted again: these are operational rates, the topics are the record.
 *
 * <p>Every tag has few values: actions, reason codes and rule names of the live ruleset, model
 * versions, command types and outcomes, topic and processor names, provider names and operations,
 * categories. No payment, merchant or card ever becomes a tag.
 */
public final class DomainMetrics {

    /** {@code risk_decisions_total{action}}. */
    public static final String DECISIONS = "risk_decisions";

    /** {@code risk_decision_reasons_total{reason}}: the reasons of the decisions, by code. */
    public static final String DECISION_REASONS = "risk_decision_reasons";

    /** {@code rule_hits_total{rule, mode}}: a rule among a decision's reasons, live or shadow. */
    public static final String RULE_HITS = "rule_hits";

    /**
     * {@code model_score_percent{model_version, role}}: the fraud probability each model gave, in
     * percent (a summary's histogram counts whole numbers: a probability is scaled to 0..100).
     */
    public static final String MODEL_SCORE = "model_score_percent";

    /** {@code ledger_commands_total{type, outcome, invariant}}. */
    public static final String LEDGER_COMMANDS = "ledger_commands";

    /** {@code dead_letters_total{topic, processor}}: records set aside with their reason. */
    public static final String DEAD_LETTERS = "dead_letters";

    /** {@code provider_requests_seconds{provider, operation, outcome}}. */
    public static final String PROVIDER_REQUESTS = "provider_requests";

    /** {@code webhook_deliveries_total{outcome}}: each attempt's outcome. */
    public static final String WEBHOOK_DELIVERIES = "webhook_deliveries";

    /**
     * {@code settlement_fetch_failures_total{provider}}: attempts to fetch a provider's day of
     * settlement that failed (each is retried after a pause that doubles up to an hour).
     */
    public static final String SETTLEMENT_FETCH_FAILURES = "settlement_fetch_failures";

    /**
     * {@code settlement_days_missing{provider}}: 1 while the provider's previous day of settlement
     * is still not fetched an hour after the fetch time, else 0.
     */
    public static final String SETTLEMENT_DAYS_MISSING = "settlement_days_missing";

    /** {@code reconciliation_items_total{category}}. */
    public static final String RECONCILIATION_ITEMS = "reconciliation_items";

    /** What a webhook delivery attempt came to. */
    public enum WebhookOutcome {
        /** The endpoint answered 2xx. */
        DELIVERED,
        /** The attempt failed and the delivery will be tried again. */
        RETRIED,
        /** The last attempt failed, or the endpoint is gone: the delivery is dead-lettered. */
        FAILED;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final double[] SCORE_BUCKETS = {
        1, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 99, 100
    };

    private static final Duration[] PROVIDER_BUCKETS =
            java.util.stream.LongStream.of(
                            5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000)
                    .mapToObj(Duration::ofMillis)
                    .toArray(Duration[]::new);

    private DomainMetrics() {}

    private static MeterRegistry registry() {
        return Metrics.globalRegistry;
    }

    /**
     * Registers at zero the series that have a fixed set of tag values (decisions by action,
     * webhook outcomes, reconciliation categories, the ledger's outcomes of recording an
     * authorization), so a dashboard shows 0 rather than nothing before the first one.
     */
    public static void registerKnownSeries() {
        for (RiskAction action : RiskAction.values()) {
            decisions(action.name());
        }
        for (WebhookOutcome outcome : WebhookOutcome.values()) {
            webhooks(outcome);
        }
        for (ReconciliationCategory category : ReconciliationCategory.values()) {
            reconciliation(category.name());
        }
        for (CommandOutcome outcome : CommandOutcome.values()) {
            ledger("RECORD", outcome.name(), null);
        }
    }

    /**
     * Counts a decision: its action, each reason's code, the rules among its reasons and its shadow
     * reasons, and the champion's and shadow model's scores.
     */
    public static void decided(RiskDecision decision) {
        decisions(decision.getAction().name()).increment();
        countReasons(decision.getReasons(), "live");
        countReasons(decision.getShadowReasons(), "shadow");
        if (decision.getModelScore() != null && decision.getModelVersion() != null) {
            modelScore(decision.getModelVersion(), "champion", decision.getModelScore());
        }
        if (decision.getShadowModelScore() != null && decision.getShadowModelVersion() != null) {
            modelScore(decision.getShadowModelVersion(), "shadow", decision.getShadowModelScore());
        }
    }

    private static void countReasons(List<ReasonCode> reasons, String mode) {
        if (reasons == null) {
            return;
        }
        for (ReasonCode reason : reasons) {
            if ("live".equals(mode)) {
                Counter.builder(DECISION_REASONS)
                        .description("Reasons of the risk decisions, by code")
                        .tag("reason", reason.getCode())
                        .register(registry())
                        .increment();
            }
            String source = reason.getSource();
            if (source != null && source.startsWith("rule:")) {
                Counter.builder(RULE_HITS)
                        .description(
                                "Rules among the decisions' reasons: live rules decide, shadow"
                                        + " rules are recorded only")
                        .tag("rule", source.substring("rule:".length()))
                        .tag("mode", mode)
                        .register(registry())
                        .increment();
            }
        }
    }

    private static Counter decisions(String action) {
        return Counter.builder(DECISIONS)
                .description("Risk decisions, by action")
                .tag("action", action.toLowerCase(Locale.ROOT))
                .register(registry());
    }

    /** Records a model's fraud probability; role is champion (decides) or shadow. */
    static void modelScore(String version, String role, double score) {
        DistributionSummary.builder(MODEL_SCORE)
                .description(
                        "Fraud probability the models gave, per model version; champion decides,"
                                + " shadow is recorded only")
                .tag("model_version", version)
                .tag("role", role)
                .scale(100)
                .serviceLevelObjectives(SCORE_BUCKETS)
                .register(registry())
                .record(score);
    }

    /**
     * Counts a ledger command's outcome.
     *
     * @param type the command's type ({@code AUTHORIZE}, {@code CAPTURE}, ...)
     * @param outcome accepted, duplicate, rejected, ...
     * @param invariant the invariant a rejected command broke, or null
     */
    public static void ledgerCommand(String type, String outcome, String invariant) {
        ledger(type, outcome, invariant).increment();
    }

    private static Counter ledger(String type, String outcome, String invariant) {
        return Counter.builder(LEDGER_COMMANDS)
                .description("Commands the ledger handled, by type, outcome and broken invariant")
                .tag("type", type.toLowerCase(Locale.ROOT))
                .tag("outcome", outcome.toLowerCase(Locale.ROOT))
                .tag("invariant", invariant == null ? "none" : invariant)
                .register(registry());
    }

    /** Counts a record set aside on the dead-letter topic. */
    public static void deadLettered(DeadLetter letter) {
        Counter.builder(DEAD_LETTERS)
                .description(
                        "Records set aside on the dead-letter topic with their reason, by the"
                                + " topic they came from and the processor that refused them")
                .tag("topic", source(letter.getTopic()))
                .tag("processor", letter.getProcessor() == null ? "unknown" : letter.getProcessor())
                .register(registry())
                .increment();
    }

    /**
     * The topic a dead letter came from; for what is not a topic ({@code file:<name>}, {@code
     * webhook:<event type>}) only its kind, so a file name never becomes a tag value.
     */
    static String source(String topic) {
        if (topic == null || topic.isEmpty()) {
            return "unknown";
        }
        int colon = topic.indexOf(':'); // never in a Kafka topic's name
        return colon > 0 ? topic.substring(0, colon) : topic;
    }

    /**
     * Records one call to a payment provider.
     *
     * @param operation authorize, capture, void, refund or status
     * @param outcome what the provider answered (approved, declined, error, unknown, ...)
     */
    public static void providerCall(
            String provider, String operation, String outcome, long elapsedNanos) {
        Timer.builder(PROVIDER_REQUESTS)
                .description(
                        "Calls to payment providers, by provider, operation and outcome; unknown"
                                + " means the call may have been applied (a timeout)")
                .tag("provider", provider == null ? "unknown" : provider)
                .tag("operation", operation)
                .tag("outcome", outcome.toLowerCase(Locale.ROOT))
                .serviceLevelObjectives(PROVIDER_BUCKETS)
                .register(registry())
                .record(elapsedNanos, TimeUnit.NANOSECONDS);
    }

    /** Counts one webhook delivery attempt's outcome. */
    public static void webhookAttempt(WebhookOutcome outcome) {
        webhooks(outcome).increment();
    }

    private static Counter webhooks(WebhookOutcome outcome) {
        return Counter.builder(WEBHOOK_DELIVERIES)
                .description("Webhook delivery attempts, by outcome")
                .tag("outcome", outcome.tag())
                .register(registry());
    }

    /** Counts a reconciliation item the topology classified. */
    public static void reconciliationItem(String category) {
        reconciliation(category).increment();
    }

    private static Counter reconciliation(String category) {
        return Counter.builder(RECONCILIATION_ITEMS)
                .description("Reconciliation items, by category")
                .tag("category", category.toLowerCase(Locale.ROOT))
                .register(registry());
    }
}
