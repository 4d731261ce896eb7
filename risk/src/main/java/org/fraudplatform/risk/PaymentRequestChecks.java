package org.fraudplatform.risk;

import java.util.Optional;
import java.util.regex.Pattern;
import org.fraudplatform.schemas.PaymentRequest;
import org.fraudplatform.schemas.money.CurrencyRates;
import org.fraudplatform.schemas.topics.Keys;

/** What a decoded payment request must satisfy before the risk engine scores it. */
public final class PaymentRequestChecks {

    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    private PaymentRequestChecks() {}

    /**
     * The first problem found, or empty when the request can be scored.
     *
     * @param rates the table that must convert the request's currency (the API refuses other
     *     currencies, so a request here in one comes from elsewhere or from another table)
     */
    public static Optional<String> problem(PaymentRequest request, CurrencyRates rates) {
        if (isBlank(request.getPaymentId())) {
            return Optional.of("paymentId is blank");
        }
        if (isBlank(request.getMerchantId())) {
            return Optional.of("merchantId is blank");
        }
        if (request.getAmount() <= 0) {
            return Optional.of("amount must be positive, was " + request.getAmount());
        }
        if (request.getCurrency() == null || !CURRENCY.matcher(request.getCurrency()).matches()) {
            return Optional.of("currency is not an ISO 4217 code: " + request.getCurrency());
        }
        try {
            rates.toReference(request.getAmount(), request.getCurrency());
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        if (isBlank(request.getCorrelationId())) {
            return Optional.of("correlationId is blank");
        }
        try {
            if (isBlank(Keys.instrumentKey(request))) {
                return Optional.of("instrument has no token");
            }
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        return Optional.empty();
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
