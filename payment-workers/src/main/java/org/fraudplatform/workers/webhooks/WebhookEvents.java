package org.fraudplatform.workers.webhooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.fraudplatform.schemas.PaymentEvent;
import org.fraudplatform.schemas.PaymentEventType;

/**
 * Which ledger events merchants hear about, under which names, with which body. Every payment
 * status change is one: {@code payment.authorized}, {@code payment.declined}, {@code
 * payment.captured}, … (the ledger event type in lower case). The body holds ids, amounts and
 * codes, never an instrument token or card data.
 */
public final class WebhookEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every event type an endpoint may subscribe to. */
    public static final List<String> TYPES =
            java.util.Arrays.stream(PaymentEventType.values())
                    .filter(WebhookEvents::told)
                    .map(WebhookEvents::name)
                    .toList();

    private WebhookEvents() {}

    /** The webhook name of a ledger event type, e.g. {@code payment.chargeback_opened}. */
    public static String name(PaymentEventType type) {
        return "payment." + type.name().toLowerCase(Locale.ROOT);
    }

    /** The webhook of a ledger event, or empty when merchants are not told about it. */
    public static Optional<String> type(PaymentEvent e) {
        return told(e.getType()) ? Optional.of(name(e.getType())) : Optional.empty();
    }

    /**
     * Merchants hear of every status change; not of an intent to authorize, whose outcome follows
     * (and is the change).
     */
    private static boolean told(PaymentEventType type) {
        return type != PaymentEventType.UNKNOWN && type != PaymentEventType.AUTHORIZING;
    }

    /** The JSON body delivered for {@code e}. */
    public static String payload(PaymentEvent e) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", e.getEventId());
        root.put("type", name(e.getType()));
        root.put("created", e.getEventTime().toString());
        ObjectNode data = root.putObject("data");
        data.put("payment_id", e.getPaymentId());
        data.put("amount", e.getAmount());
        data.put("currency", e.getCurrency());
        data.put("payment_method", e.getPaymentMethod().name().toLowerCase(Locale.ROOT));
        if (e.getOperationId() != null) {
            data.put("operation_id", e.getOperationId());
        }
        if (e.getReasonCode() != null) {
            data.put("reason_code", e.getReasonCode());
        }
        if (e.getRiskAction() != null) {
            data.put("risk_action", e.getRiskAction().name().toLowerCase(Locale.ROOT));
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
