package org.fraudplatform.dev.simulate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The summary of a simulation: payments per scenario and outcome, the captures, refunds, review
 * decisions and labels that followed, and how the risk engine did against the ground truth.
 */
public final class SimulationReport {

    private final List<PaymentOutcome> outcomes;
    private final double seconds;
    private final boolean chargebacksPossible;

    /**
     * @param outcomes every payment of the plan, in order
     * @param seconds how long the whole run took
     * @param chargebacksPossible whether an administrator's token was there to relay chargebacks
     */
    public SimulationReport(
            List<PaymentOutcome> outcomes, double seconds, boolean chargebacksPossible) {
        this.outcomes = List.copyOf(outcomes);
        this.seconds = seconds;
        this.chargebacksPossible = chargebacksPossible;
    }

    /** Every payment's outcome, in the order of the plan. */
    public List<PaymentOutcome> outcomes() {
        return outcomes;
    }

    /** Payments of {@code scenario}. */
    public int payments(Scenario scenario) {
        return count(o -> o.plan().scenario() == scenario);
    }

    /** Payments of {@code scenario} that ended in {@code outcome}. */
    public int count(Scenario scenario, Outcome outcome) {
        return count(o -> o.plan().scenario() == scenario && o.outcome() == outcome);
    }

    /** Payments of {@code scenario} the merchant captured (some after a review). */
    public int captured(Scenario scenario) {
        return count(o -> o.plan().scenario() == scenario && o.capture() == Step.ACCEPTED);
    }

    /** Payments of {@code scenario} refunded. */
    public int refunded(Scenario scenario) {
        return count(o -> o.plan().scenario() == scenario && o.refund() == Step.ACCEPTED);
    }

    /** Fraud chargebacks sent, and how many the platform took. */
    public int chargebacksSent() {
        return count(o -> o.plan().followUp() == FollowUp.CHARGEBACK && o.label().sent());
    }

    public int chargebacksAccepted() {
        return count(o -> o.plan().followUp() == FollowUp.CHARGEBACK && o.label() == Step.ACCEPTED);
    }

    /** Fraud reports sent, and how many the platform took. */
    public int reportsSent() {
        return count(o -> o.plan().followUp() == FollowUp.FRAUD_REPORT && o.label().sent());
    }

    public int reportsAccepted() {
        return count(
                o -> o.plan().followUp() == FollowUp.FRAUD_REPORT && o.label() == Step.ACCEPTED);
    }

    /** Captured fraud that got no label: nobody ever found it out. */
    public int unlabelledFrauds() {
        return count(
                o ->
                        o.plan().fraud()
                                && o.capture() == Step.ACCEPTED
                                && o.label() != Step.ACCEPTED);
    }

    /** Held payments the analyst approved, respectively rejected. */
    public int reviewsApproved() {
        return count(o -> !o.plan().fraud() && o.review() == Step.ACCEPTED);
    }

    public int reviewsRejected() {
        return count(o -> o.plan().fraud() && o.review() == Step.ACCEPTED);
    }

    /** Authorizations answered from an earlier run with the same seed and options. */
    public int replayed() {
        return count(PaymentOutcome::replayed);
    }

    /** Payments with this ground truth that the risk engine gave this verdict. */
    public int verdicts(boolean fraud, String riskAction) {
        return count(o -> o.plan().fraud() == fraud && riskAction.equals(o.riskAction()));
    }

    /** The summary as printed at the end of {@code fraud simulate}. */
    public String format() {
        StringBuilder s = new StringBuilder();
        int total = outcomes.size();
        s.append(
                String.format(
                        Locale.ROOT,
                        "%d payments in %.1f s (%.0f/s)%n%n",
                        total,
                        seconds,
                        total / Math.max(seconds, 1e-3)));
        s.append(String.format(Locale.ROOT, "%-18s %8s", "scenario", "payments"));
        for (Outcome o : Outcome.values()) {
            s.append(String.format(Locale.ROOT, " %8s", o.title()));
        }
        s.append(String.format(Locale.ROOT, " %8s %8s%n", "captured", "refunded"));
        for (Scenario scenario : Scenario.values()) {
            s.append(String.format(Locale.ROOT, "%-18s %8d", scenario.title(), payments(scenario)));
            for (Outcome o : Outcome.values()) {
                s.append(String.format(Locale.ROOT, " %8d", count(scenario, o)));
            }
            s.append(
                    String.format(
                            Locale.ROOT, " %8d %8d%n", captured(scenario), refunded(scenario)));
        }
        s.append(String.format(Locale.ROOT, "%-18s %8d", "all", total));
        for (Outcome o : Outcome.values()) {
            s.append(String.format(Locale.ROOT, " %8d", count(p -> p.outcome() == o)));
        }
        s.append(
                String.format(
                        Locale.ROOT,
                        " %8d %8d%n%n",
                        count(p -> p.capture() == Step.ACCEPTED),
                        count(p -> p.refund() == Step.ACCEPTED)));

        s.append(
                String.format(
                        Locale.ROOT,
                        "Reviews decided by the analyst (who knows the truth): %d approved and"
                                + " captured, %d rejected as fraud%n",
                        reviewsApproved(),
                        reviewsRejected()));
        s.append(
                String.format(
                        Locale.ROOT,
                        "Labels: %d fraud chargebacks (10.4) sent, %d accepted; %d fraud reports"
                                + " sent, %d accepted; %d captured frauds never found out%n",
                        chargebacksSent(),
                        chargebacksAccepted(),
                        reportsSent(),
                        reportsAccepted(),
                        unlabelledFrauds()));
        if (!chargebacksPossible) {
            s.append("  (no administrator's token: no chargebacks were sent)\n");
        }
        s.append('\n');

        s.append(
                String.format(
                        Locale.ROOT,
                        "%-30s %8s %8s%n",
                        "risk engine vs ground truth",
                        "fraud",
                        "genuine"));
        for (String action : List.of("decline", "review", "approve")) {
            s.append(
                    String.format(
                            Locale.ROOT,
                            "%-30s %8d %8d%n",
                            "  " + action,
                            verdicts(true, action),
                            verdicts(false, action)));
        }
        int frauds =
                verdicts(true, "decline") + verdicts(true, "review") + verdicts(true, "approve");
        int genuine =
                verdicts(false, "decline") + verdicts(false, "review") + verdicts(false, "approve");
        s.append(
                String.format(
                        Locale.ROOT,
                        "%-30s %7.1f%% %7.1f%%%n",
                        "  stopped (declined or review)",
                        percent(verdicts(true, "decline") + verdicts(true, "review"), frauds),
                        percent(verdicts(false, "decline") + verdicts(false, "review"), genuine)));
        s.append(
                String.format(
                        Locale.ROOT,
                        "%-30s %7.1f%% %7.1f%%%n",
                        "  declined",
                        percent(verdicts(true, "decline"), frauds),
                        percent(verdicts(false, "decline"), genuine)));
        s.append(
                String.format(
                        Locale.ROOT,
                        "%nRules that stopped fraud:   %s%nRules that stopped genuine: %s%n",
                        reasons(true),
                        reasons(false)));
        int replayed = replayed();
        if (replayed > 0) {
            s.append(
                    String.format(
                            Locale.ROOT,
                            "%n%d of %d authorizations were replays of an earlier run with the same"
                                    + " seed and options: the platform answered with its first"
                                    + " replies and recorded nothing new for them.%n",
                            replayed,
                            total));
        }
        return s.toString();
    }

    /**
     * How often each rule matched on the payments with this ground truth that were declined or
     * held, most frequent first: {@code CARD_TESTING_IP 22, CARD_TESTING_DEVICE 3}.
     */
    public String reasons(boolean fraud) {
        Map<String, Integer> counts = new TreeMap<>();
        for (PaymentOutcome o : outcomes) {
            if (o.plan().fraud() == fraud
                    && ("decline".equals(o.riskAction()) || "review".equals(o.riskAction()))) {
                o.reasons().forEach(r -> counts.merge(r, 1, Integer::sum));
            }
        }
        if (counts.isEmpty()) {
            return "none";
        }
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, Integer> e : sorted) {
            s.append(s.length() == 0 ? "" : ", ")
                    .append(e.getKey())
                    .append(' ')
                    .append(e.getValue());
        }
        return s.toString();
    }

    private static double percent(int part, int whole) {
        return whole == 0 ? 0 : 100.0 * part / whole;
    }

    private int count(Predicate<PaymentOutcome> which) {
        return (int) outcomes.stream().filter(which).count();
    }
}
