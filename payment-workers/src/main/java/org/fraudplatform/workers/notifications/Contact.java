package org.fraudplatform.workers.notifications;

/**
 * Where and how the customer of a payment hears about it, as the merchant gave it with the payment.
 *
 * @param email or null
 * @param phone E.164, or null
 * @param deviceId the push target, or null
 * @param locale e.g. {@code en} or {@code de-DE}; {@code en} when none was given
 */
public record Contact(String email, String phone, String deviceId, String locale) {

    public Contact {
        locale = locale == null || locale.isBlank() ? "en" : locale;
    }

    /** True when there is nowhere to send anything. */
    public boolean isEmpty() {
        return email == null && phone == null && deviceId == null;
    }
}
