package org.fraudplatform.dev.simulate;

/**
 * A simulated card: a Luhn-valid number that is none of the simulated provider's test cards (so the
 * provider approves it and only the risk engine decides), an expiry and a CVC.
 */
public record Card(String number, int expMonth, int expYear, String cvc) {

    /** The last four digits, for messages: the full number is never printed. */
    public String last4() {
        return number.substring(number.length() - 4);
    }
}
