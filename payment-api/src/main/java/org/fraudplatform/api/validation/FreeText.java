package org.fraudplatform.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.fraudplatform.schemas.cards.CardNumberDetector;

/**
 * Free text never carries a card number. Card numbers are tokenized at the edge and only the
 * provider ever sees one; text a merchant or a person writes (a payment's {@code reference}, a
 * refund's {@code reason}, a note) goes as it is to Kafka, PostgreSQL, the audit trail and the
 * console. So every such field is checked where it arrives, before anything is stored or sent, and
 * one that holds a card number ({@link CardNumberDetector}: 13 to 19 digits passing the Luhn check,
 * whatever separates them) is refused with a 400 naming the field and {@link #REFUSAL}.
 *
 * <p>Free text is what people write for people to read: a reference, a reason, a note, a name.
 * Identifiers are not free text and are not checked: a customer's id, device id and e-mail, an
 * {@code Idempotency-Key}, the ids the platform made or looks up, a provider's ids. Numeric and
 * time-ordered ids of 13 to 19 digits are common, and one in ten passes the Luhn check, so checking
 * them would refuse payments at random. Neither are values with a format of their own that is
 * checked (a phone number in E.164, which may pass Luhn, an IP address, a webhook URL).
 */
public final class FreeText {

    /** The message of a field refused for holding a card number. */
    public static final String REFUSAL = CardNumberDetector.REFUSAL;

    private FreeText() {}

    /** Whether {@code text} holds a card number; false for null. */
    public static boolean holdsCardNumber(String text) {
        return CardNumberDetector.contains(text);
    }

    /** Which of the named top-level fields of {@code body} hold a card number, in that order. */
    public static List<String> fieldsWithCardNumbers(JsonNode body, String... fields) {
        List<String> found = new ArrayList<>();
        if (body == null) {
            return found;
        }
        for (String field : fields) {
            JsonNode value = body.get(field);
            if (value != null && value.isTextual() && holdsCardNumber(value.asText())) {
                found.add(field);
            }
        }
        return found;
    }
}
