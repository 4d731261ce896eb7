package org.fraudplatform.providers.adyen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fraudplatform.providers.ProviderNotice;
import org.fraudplatform.providers.WebhookReceipt;
import org.fraudplatform.providers.http.Secret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adyen's standard notifications, verified and turned into provider notices.
 *
 * <p>A delivery is a batch of {@code NotificationRequestItem}s; each is taken only with a valid
 * {@link AdyenHmac} signature, and once per {@code pspReference} and {@code eventCode} (the most
 * recent {@value #MEMORY}; behind that the ledger applies each chargeback step once). Adyen expects
 * the answer {@code [accepted]} ({@link #ACCEPTED}) once the items are stored.
 *
 * <table>
 *   <caption>Event codes and what the ledger hears</caption>
 *   <tr><th>eventCode</th><th>notice</th></tr>
 *   <tr><td>{@code CHARGEBACK}</td><td>{@code chargeback.opened}, id {@code adyen:<payment's
 *       pspReference>}, with the amount and {@code additionalData.chargebackReasonCode} (else
 *       {@code reason})</td></tr>
 *   <tr><td>{@code CHARGEBACK_REVERSED}, {@code PREARBITRATION_WON}</td><td>{@code
 *       chargeback.won}</td></tr>
 *   <tr><td>{@code SECOND_CHARGEBACK}, {@code PREARBITRATION_LOST}</td><td>{@code
 *       chargeback.lost}</td></tr>
 *   <tr><td>{@code AUTHORISATION}</td><td>none; the connector learns the outcome, which answers
 *       the status query of a payment left {@code UNKNOWN}</td></tr>
 *   <tr><td>{@code REPORT_AVAILABLE}</td><td>none; a Settlement details report (its file name in
 *       {@code pspReference}) is fetched with the settlement of the day it was announced
 *       ({@link AdyenSettlements})</td></tr>
 *   <tr><td>{@code CAPTURE}, {@code CANCELLATION}, {@code REFUND} and the rest</td><td>none: the
 *       ledger started them; a failed one ({@code success=false}, {@code CAPTURE_FAILED}, {@code
 *       REFUND_FAILED}) is logged and shows in reconciliation</td></tr>
 * </table>
 */
public final class AdyenNotifications {

    /** The body Adyen expects in answer. */
    public static final String ACCEPTED = "[accepted]";

    static final int MEMORY = 100_000;
    private static final Logger log = LoggerFactory.getLogger(AdyenNotifications.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AdyenConnector connector;
    private final Secret hmacKey;
    private final AdyenSettlements settlements;
    private final Map<String, Boolean> seen =
            Collections.synchronizedMap(
                    new LinkedHashMap<>(16, 0.75f, true) {
                        @Override
                        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                            return size() > MEMORY;
                        }
                    });

    public AdyenNotifications(AdyenConnector connector, Secret hmacKey) {
        this(connector, hmacKey, null);
    }

    /**
     * @param settlements where {@code REPORT_AVAILABLE} announcements of settlement reports go, or
     *     null when the connector's settlements are not fetched
     */
    public AdyenNotifications(
            AdyenConnector connector, Secret hmacKey, AdyenSettlements settlements) {
        this.connector = connector;
        this.hmacKey = hmacKey;
        this.settlements = settlements;
        try {
            java.util.HexFormat.of().parseHex(hmacKey.reveal());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "the Adyen HMAC key from " + hmacKey + " is not hexadecimal");
        }
    }

    /** One delivery: a receipt per item, in order. A body that is no notification is refused. */
    public List<WebhookReceipt> receive(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            return List.of(new WebhookReceipt.Refused(null, "the body is not JSON"));
        }
        if (root == null || !root.path("notificationItems").isArray()) {
            return List.of(new WebhookReceipt.Refused(null, "no notificationItems"));
        }
        List<WebhookReceipt> receipts = new ArrayList<>();
        for (JsonNode wrapper : root.path("notificationItems")) {
            receipts.add(item(wrapper.path("NotificationRequestItem")));
        }
        return receipts;
    }

    /** Forgets an item, so that its next delivery is handled again (the ledger did not take it). */
    public void forget(String eventId) {
        seen.remove(eventId);
    }

    private static java.time.Instant eventDate(JsonNode item) {
        try {
            return java.time.OffsetDateTime.parse(item.path("eventDate").asText()).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return java.time.Instant.now();
        }
    }

    private WebhookReceipt item(JsonNode item) {
        String psp = item.path("pspReference").asText("");
        String eventCode = item.path("eventCode").asText("");
        String id = psp + ":" + eventCode;
        if (!AdyenHmac.isValid(item, hmacKey.reveal())) {
            return new WebhookReceipt.Refused(id, "the HMAC signature does not match");
        }
        if (seen.putIfAbsent(id, true) != null) {
            return new WebhookReceipt.Duplicate(id);
        }
        boolean success = item.path("success").asText().equals("true");
        String paymentId = item.path("merchantReference").asText(null);
        String original = item.path("originalReference").asText("");
        String paymentPsp = original.isEmpty() ? psp : original;
        String type =
                switch (eventCode) {
                    case "CHARGEBACK" -> ProviderNotice.CHARGEBACK_OPENED;
                    case "CHARGEBACK_REVERSED", "PREARBITRATION_WON" ->
                            ProviderNotice.CHARGEBACK_WON;
                    case "SECOND_CHARGEBACK", "PREARBITRATION_LOST" ->
                            ProviderNotice.CHARGEBACK_LOST;
                    default -> null;
                };
        if (type != null && paymentId != null) {
            String reason = item.path("additionalData").path("chargebackReasonCode").asText(null);
            return new WebhookReceipt.Relay(
                    id,
                    new ProviderNotice(
                            type,
                            paymentId,
                            "adyen:" + paymentPsp,
                            item.path("amount").hasNonNull("value")
                                    ? item.path("amount").path("value").asLong()
                                    : null,
                            type.equals(ProviderNotice.CHARGEBACK_OPENED)
                                    ? (reason != null
                                            ? reason
                                            : item.path("reason").asText("general"))
                                    : null,
                            connector.name(),
                            id));
        }
        if (eventCode.equals("AUTHORISATION") && paymentId != null) {
            connector.learn(paymentId, success, psp, item.path("reason").asText(null));
            return new WebhookReceipt.Acknowledged(
                    id, eventCode, "the outcome answers the payment's status query");
        }
        if (eventCode.equals("REPORT_AVAILABLE")) {
            boolean settlement;
            try {
                settlement = settlements != null && settlements.announce(psp, eventDate(item));
            } catch (RuntimeException e) {
                // not remembered: taken again when Adyen sends it again
                seen.remove(id);
                throw e;
            }
            return new WebhookReceipt.Acknowledged(
                    id,
                    eventCode,
                    settlement
                            ? "the settlement report is fetched with its day"
                            : "a report the platform does not read");
        }
        if (!success || eventCode.endsWith("_FAILED")) {
            log.warn(
                    "{}: Adyen reports {} failed for payment {}; reconciliation will show it",
                    connector.name(),
                    eventCode,
                    paymentId);
            return new WebhookReceipt.Acknowledged(
                    id, eventCode, "Adyen failed an operation it had accepted");
        }
        return new WebhookReceipt.Acknowledged(
                id, eventCode, "the ledger started this operation and has its answer");
    }
}
