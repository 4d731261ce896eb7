package org.fraudplatform.api.payments;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * The payment resource as the API returns it. It never contains a card number, CVC or IBAN: only
 * brand, funding, BIN, last four digits and the merchant-scoped fingerprint.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
    "id", "object", "status", "amount", "currency", "capture_method", "payment_method",
    "customer_id", "reference", "risk", "decline_code", "failure_message", "provider", "created"
})
public record PaymentView(
        String id,
        String status,
        long amount,
        String currency,
        @JsonProperty("capture_method") String captureMethod,
        @JsonProperty("payment_method") Map<String, Object> paymentMethod,
        @JsonProperty("customer_id") String customerId,
        String reference,
        Risk risk,
        @JsonProperty("decline_code") String declineCode,
        @JsonProperty("failure_message") String failureMessage,
        String provider,
        String created) {

    @JsonProperty("object")
    public String object() {
        return "payment";
    }

    /** Lifecycle states a payment can be in. */
    public static final String AUTHORIZED = "authorized";

    public static final String CAPTURED = "captured";
    public static final String DECLINED = "declined";
    public static final String REVIEW = "review";
    public static final String PENDING = "pending";
    public static final String FAILED = "failed";

    /** The risk verdict, with the reasons an analyst can explain. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"action", "score", "reasons", "ruleset_version", "model_version"})
    public record Risk(
            String action,
            double score,
            List<Reason> reasons,
            @JsonProperty("ruleset_version") String rulesetVersion,
            @JsonProperty("model_version") String modelVersion) {}

    /** One reason code. */
    public record Reason(String code, String message) {}

    PaymentView withStatus(String newStatus, String newDeclineCode, String newFailureMessage) {
        return new PaymentView(
                id,
                newStatus,
                amount,
                currency,
                captureMethod,
                paymentMethod,
                customerId,
                reference,
                risk,
                newDeclineCode,
                newFailureMessage,
                provider,
                created);
    }

    PaymentView withRisk(Risk newRisk) {
        return new PaymentView(
                id,
                status,
                amount,
                currency,
                captureMethod,
                paymentMethod,
                customerId,
                reference,
                newRisk,
                declineCode,
                failureMessage,
                provider,
                created);
    }

    PaymentView withProvider(String newProvider) {
        return new PaymentView(
                id,
                status,
                amount,
                currency,
                captureMethod,
                paymentMethod,
                customerId,
                reference,
                risk,
                declineCode,
                failureMessage,
                newProvider,
                created);
    }
}
