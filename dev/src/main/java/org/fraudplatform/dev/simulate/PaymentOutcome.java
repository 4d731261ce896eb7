package org.fraudplatform.dev.simulate;

import java.util.List;

/**
 * What became of one planned payment.
 *
 * @param plan the payment as planned, with its ground truth
 * @param httpStatus the status of the authorization's reply (0: no reply)
 * @param paymentId the id the platform gave it, or null
 * @param status its status in the reply ({@code authorized}, {@code review}, {@code declined}, …)
 * @param riskAction the risk engine's verdict ({@code approve}, {@code review}, {@code decline})
 * @param reasons the codes of the rules that matched ({@code CARD_TESTING_IP}, …)
 * @param provider the provider that authorized it
 * @param replayed whether the reply was the platform's first answer to an earlier run
 * @param capture the capture
 * @param refund the refund (planned for some genuine payments)
 * @param review the analyst's decision on a payment held for review
 * @param label the fraud chargeback or fraud report (planned for some fraud payments)
 */
public record PaymentOutcome(
        PlannedPayment plan,
        int httpStatus,
        String paymentId,
        String status,
        String riskAction,
        List<String> reasons,
        String provider,
        boolean replayed,
        Step capture,
        Step refund,
        Step review,
        Step label) {

    public PaymentOutcome {
        reasons = List.copyOf(reasons);
    }

    /** The outcome of the authorization. */
    public Outcome outcome() {
        return httpStatus == 201 ? Outcome.ofStatus(status) : Outcome.ERROR;
    }

    PaymentOutcome withCapture(Step step) {
        return withSteps(step, refund, review, label);
    }

    PaymentOutcome withRefund(Step step) {
        return withSteps(capture, step, review, label);
    }

    PaymentOutcome withReview(Step step) {
        return withSteps(capture, refund, step, label);
    }

    PaymentOutcome withLabel(Step step) {
        return withSteps(capture, refund, review, step);
    }

    private PaymentOutcome withSteps(
            Step newCapture, Step newRefund, Step newReview, Step newLabel) {
        return new PaymentOutcome(
                plan,
                httpStatus,
                paymentId,
                status,
                riskAction,
                reasons,
                provider,
                replayed,
                newCapture,
                newRefund,
                newReview,
                newLabel);
    }
}
