package org.fraudplatform.dev.simulate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One authorization of the plan, with its ground truth.
 *
 * @param index position in the traffic, also the counter in its Idempotency-Keys
 * @param scenario who is behind it
 * @param instance which occurrence of the scenario (all payments of one card-testing burst share
 *     it); 0 for genuine payments
 * @param customerId the customer account the payment claims
 * @param email the e-mail address given
 * @param ip the IP address it comes from
 * @param deviceId the device it comes from
 * @param country the customer's country as given
 * @param card the card
 * @param amount minor units of EUR
 * @param followUp what happens once it is captured
 */
public record PlannedPayment(
        int index,
        Scenario scenario,
        int instance,
        String customerId,
        String email,
        String ip,
        String deviceId,
        String country,
        Card card,
        long amount,
        FollowUp followUp) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The ground truth. */
    public boolean fraud() {
        return scenario.fraud();
    }

    /** The body of {@code POST /v1/payments}: a card payment in EUR, captured later. */
    public String requestBody(String reference) {
        ObjectNode body = JSON.createObjectNode();
        body.put("amount", amount).put("currency", "EUR");
        ObjectNode method = body.putObject("payment_method").put("type", "card");
        method.putObject("card")
                .put("number", card.number())
                .put("exp_month", card.expMonth())
                .put("exp_year", card.expYear())
                .put("cvc", card.cvc());
        body.putObject("customer")
                .put("id", customerId)
                .put("email", email)
                .put("ip", ip)
                .put("device_id", deviceId)
                .put("country", country);
        body.put("capture_method", "manual").put("reference", reference);
        return body.toString();
    }

    /** The same payment at another position in the traffic. */
    PlannedPayment withIndex(int newIndex) {
        return new PlannedPayment(
                newIndex,
                scenario,
                instance,
                customerId,
                email,
                ip,
                deviceId,
                country,
                card,
                amount,
                followUp);
    }
}
