package org.fraudplatform.providers;

import java.util.Locale;
import java.util.Objects;

/**
 * One authorization as the provider sees it.
 *
 * @param paymentId our payment id (the provider's idempotency key)
 * @param amount minor units
 * @param currency ISO 4217
 * @param method what is charged; for cards it carries the card number, which the provider needs and
 *     which never goes anywhere else
 * @param country the payer's country (ISO 3166 alpha-2), what routes by country match: the card's
 *     issuing country, the bank account's, else the customer's billing country; null when unknown
 * @param merchantId the merchant paid, what routes for one merchant match; null when unknown
 */
public record AuthorizationCall(
        String paymentId,
        long amount,
        String currency,
        Method method,
        String country,
        String merchantId) {

    public AuthorizationCall {
        Objects.requireNonNull(paymentId, "paymentId");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(method, "method");
        country = country == null || country.isBlank() ? null : country.toUpperCase(Locale.ROOT);
    }

    /** A call whose merchant the routes need not know. */
    public AuthorizationCall(
            String paymentId, long amount, String currency, Method method, String country) {
        this(paymentId, amount, currency, method, country, null);
    }

    /** A call whose payer's country is unknown. */
    public AuthorizationCall(String paymentId, long amount, String currency, Method method) {
        this(paymentId, amount, currency, method, null);
    }

    /** The instrument, in the form the provider needs. */
    public sealed interface Method
            permits CardMethod, BankTransferMethod, WalletMethod, ProviderTokenMethod {}

    /**
     * A card. {@code toString()} never shows the number.
     *
     * @param number the card number, digits only
     */
    public record CardMethod(String number, int expMonth, int expYear) implements Method {
        @Override
        public String toString() {
            return "CardMethod["
                    + (number.length() > 10
                            ? number.substring(0, 6) + "…" + number.substring(number.length() - 4)
                            : "…")
                    + "]";
        }
    }

    /** A bank account, by our token (the provider holds the mandate). */
    public record BankTransferMethod(String accountToken, String country) implements Method {}

    /** A wallet payment token. */
    public record WalletMethod(String provider, String walletToken) implements Method {}

    /**
     * A payment method a provider's own client-side script made in the payer's browser (a Stripe
     * {@code pm_…} PaymentMethod, the {@code paymentMethod} object of Adyen's components): the card
     * number never reaches the platform, and only the provider that made the token can charge it.
     *
     * @param provider the configured name of the provider that made the token
     * @param token the token as the provider's script gave it
     */
    public record ProviderTokenMethod(String provider, String token) implements Method {
        public ProviderTokenMethod {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(token, "token");
        }

        @Override
        public String toString() {
            return "ProviderTokenMethod[" + provider + "]";
        }
    }
}
