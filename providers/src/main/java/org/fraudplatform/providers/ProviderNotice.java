package org.fraudplatform.providers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a provider told the platform on its own initiative (a webhook), in the form the provider
 * notice path ({@code POST /v1/provider-notifications}) takes and turns into a ledger command.
 *
 * @param type {@code chargeback.opened}, {@code chargeback.won} or {@code chargeback.lost}
 * @param paymentId our payment id
 * @param chargebackId the provider's id of the dispute: the ledger applies each once
 * @param amount disputed amount in minor units, null when the provider gave none
 * @param reasonCode the provider's reason (e.g. {@code fraudulent}), null on a resolution
 * @param provider the provider instance's name
 * @param eventId the provider's id of the event that said so, for the log
 */
public record ProviderNotice(
        String type,
        String paymentId,
        String chargebackId,
        Long amount,
        String reasonCode,
        String provider,
        String eventId) {

    public static final String CHARGEBACK_OPENED = "chargeback.opened";
    public static final String CHARGEBACK_WON = "chargeback.won";
    public static final String CHARGEBACK_LOST = "chargeback.lost";

    public ProviderNotice {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(paymentId, "paymentId");
        Objects.requireNonNull(chargebackId, "chargebackId");
        Objects.requireNonNull(provider, "provider");
    }

    /** The notice as the provider notice path reads it. */
    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("payment_id", paymentId);
        body.put("chargeback_id", chargebackId);
        if (amount != null) {
            body.put("amount", amount);
        }
        if (reasonCode != null) {
            body.put("reason_code", reasonCode);
        }
        body.put("provider", provider);
        return body;
    }
}
