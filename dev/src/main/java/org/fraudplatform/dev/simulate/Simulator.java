package org.fraudplatform.dev.simulate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Sends a {@link TrafficPlan} through a running platform's API, then what follows it, so that the
 * platform's topics hold a history with fraud and its labels.
 *
 * <ol>
 *   <li><b>traffic</b>: every planned authorization ({@code capture_method: manual}) at the plan's
 *       rate; each authorized payment is captured at once, and the genuine ones planned for it are
 *       refunded;
 *   <li><b>reviews</b>: an analyst who knows the ground truth decides every payment the rules held
 *       for review (rejects the fraud, approves and captures the genuine): both become labels;
 *   <li><b>labels</b>: for captured fraud, the card holder's bank files a fraud chargeback (reason
 *       10.4, relayed as a provider notice with an administrator's token, its id derived from the
 *       payment id) or the merchant reports the fraud; the rest is never found out, as in life.
 * </ol>
 *
 * <p>Every request carries an Idempotency-Key made of the plan's {@linkplain
 * SimulationOptions#keyPrefix() prefix}, the step and the payment's position: a rerun with the same
 * seed and options against the same platform gets the first answers back and records nothing new.
 */
public final class Simulator {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ANALYST = "simulated-analyst";

    private final ApiClient api;
    private final String merchantKey;
    private final String adminToken;
    private final int concurrency;

    /**
     * @param baseUrl the payment API, e.g. {@code http://127.0.0.1:8080}
     * @param merchantKey the merchant's API key: the payments are this merchant's
     * @param adminToken an administrator's token, which relays chargebacks; null sends no
     *     chargebacks
     * @param concurrency most requests in progress at once
     */
    public Simulator(String baseUrl, String merchantKey, String adminToken, int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("--concurrency must be at least 1");
        }
        this.api = new ApiClient(baseUrl);
        this.merchantKey = merchantKey;
        this.adminToken = adminToken;
        this.concurrency = concurrency;
    }

    /** Runs the plan, printing progress every second to {@code out}, and sums it up. */
    public SimulationReport run(TrafficPlan plan, PrintWriter out) throws InterruptedException {
        List<PlannedPayment> payments = plan.payments();
        String prefix = plan.options().keyPrefix();
        int rate = plan.options().rate();
        AtomicReferenceArray<PaymentOutcome> outcomes = new AtomicReferenceArray<>(payments.size());
        Progress progress = new Progress(payments.size());
        ScheduledExecutorService ticker =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "simulate-progress");
                            t.setDaemon(true);
                            return t;
                        });
        ticker.scheduleAtFixedRate(
                () -> {
                    out.println(progress.line());
                    out.flush();
                },
                1,
                1,
                TimeUnit.SECONDS);
        long start = System.nanoTime();
        try {
            PacedRun.run(
                    payments.size(),
                    rate,
                    concurrency,
                    i -> outcomes.set(i, pay(payments.get(i), prefix, progress)));

            List<Integer> held = new ArrayList<>();
            for (int i = 0; i < outcomes.length(); i++) {
                if (outcomes.get(i).outcome() == Outcome.REVIEW) {
                    held.add(i);
                }
            }
            progress.phase("reviews", held.size());
            PacedRun.run(
                    held.size(),
                    rate,
                    concurrency,
                    k -> {
                        int i = held.get(k);
                        outcomes.set(i, decide(outcomes.get(i), prefix, progress));
                        progress.phaseDone.incrementAndGet();
                    });

            List<Integer> found = new ArrayList<>();
            for (int i = 0; i < outcomes.length(); i++) {
                PaymentOutcome o = outcomes.get(i);
                FollowUp planned = o.plan().followUp();
                if (o.plan().fraud()
                        && o.capture() == Step.ACCEPTED
                        && (planned == FollowUp.FRAUD_REPORT
                                || (planned == FollowUp.CHARGEBACK && adminToken != null))) {
                    found.add(i);
                }
            }
            progress.phase("labels", found.size());
            PacedRun.run(
                    found.size(),
                    rate,
                    concurrency,
                    k -> {
                        int i = found.get(k);
                        outcomes.set(i, label(outcomes.get(i), prefix));
                        progress.phaseDone.incrementAndGet();
                    });
        } finally {
            ticker.shutdownNow();
        }
        out.println(progress.line());
        out.flush();
        List<PaymentOutcome> all = new ArrayList<>(outcomes.length());
        for (int i = 0; i < outcomes.length(); i++) {
            all.add(outcomes.get(i));
        }
        return new SimulationReport(all, (System.nanoTime() - start) / 1e9, adminToken != null);
    }

    /** Authorizes, then captures what was authorized, then refunds what is planned for it. */
    private PaymentOutcome pay(PlannedPayment p, String prefix, Progress progress) {
        progress.sent.incrementAndGet();
        ApiClient.Reply reply =
                post(
                        merchantKey,
                        "v1/payments",
                        prefix + "-pay-" + p.index(),
                        p.requestBody(prefix + "-" + p.index()));
        PaymentOutcome o =
                new PaymentOutcome(
                        p,
                        reply.status(),
                        reply.text("id"),
                        reply.text("status"),
                        reply.body().path("risk").path("action").asText(null),
                        reply.body().path("risk").path("reasons").findValuesAsText("code"),
                        reply.text("provider"),
                        reply.replayed(),
                        Step.NOT_SENT,
                        Step.NOT_SENT,
                        Step.NOT_SENT,
                        Step.NOT_SENT);
        progress.answered(o.outcome());
        return o.outcome() == Outcome.APPROVED ? captureAndRefund(o, prefix, progress) : o;
    }

    private PaymentOutcome captureAndRefund(PaymentOutcome o, String prefix, Progress progress) {
        int index = o.plan().index();
        Step capture = Step.of(command(o, "capture", prefix + "-cap-" + index, "{}"));
        PaymentOutcome after = o.withCapture(capture);
        if (capture != Step.ACCEPTED) {
            return after;
        }
        progress.captured.incrementAndGet();
        if (o.plan().followUp() != FollowUp.REFUND) {
            return after;
        }
        return after.withRefund(Step.of(command(o, "refunds", prefix + "-ref-" + index, "{}")));
    }

    /** The analyst rejects a held fraud and approves (then the merchant captures) the rest. */
    private PaymentOutcome decide(PaymentOutcome o, String prefix, Progress progress) {
        boolean fraud = o.plan().fraud();
        ObjectNode body =
                JSON.createObjectNode()
                        .put("reason", fraud ? "fraud_confirmed" : "customer_verified")
                        .put("analyst", ANALYST);
        ApiClient.Reply reply =
                post(
                        merchantKey,
                        "v1/reviews/" + o.paymentId() + (fraud ? "/reject" : "/approve"),
                        prefix + "-rv-" + o.plan().index(),
                        body.toString());
        PaymentOutcome decided = o.withReview(Step.of(reply));
        if (fraud || decided.review() != Step.ACCEPTED) {
            return decided;
        }
        return captureAndRefund(decided, prefix, progress);
    }

    /** A fraud chargeback or a fraud report, as planned; nothing for a fraud never found out. */
    private PaymentOutcome label(PaymentOutcome o, String prefix) {
        int index = o.plan().index();
        switch (o.plan().followUp()) {
            case CHARGEBACK -> {
                if (adminToken == null) {
                    return o;
                }
                ObjectNode notice =
                        JSON.createObjectNode()
                                .put("type", "chargeback.opened")
                                .put("payment_id", o.paymentId())
                                .put("chargeback_id", chargebackId(o.paymentId()))
                                .put("amount", o.plan().amount())
                                .put("reason_code", "10.4")
                                .put(
                                        "provider",
                                        o.provider() == null ? "simulated-a" : o.provider());
                return o.withLabel(
                        Step.of(
                                post(
                                        adminToken,
                                        "v1/provider-notifications",
                                        prefix + "-cb-" + index,
                                        notice.toString())));
            }
            case FRAUD_REPORT -> {
                return o.withLabel(
                        Step.of(
                                command(
                                        o,
                                        "fraud_reports",
                                        prefix + "-fr-" + index,
                                        "{\"reason\": \"card_holder_denies\"}")));
            }
            default -> {
                return o;
            }
        }
    }

    /** The id of the chargeback on a payment: one per payment, however often it is sent. */
    static String chargebackId(String paymentId) {
        return "cb_" + paymentId;
    }

    private ApiClient.Reply command(PaymentOutcome o, String action, String key, String body) {
        return post(merchantKey, "v1/payments/" + o.paymentId() + "/" + action, key, body);
    }

    private ApiClient.Reply post(String key, String path, String idempotencyKey, String body) {
        try {
            return api.post(key, path, idempotencyKey, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
