package org.fraudplatform.api.validation;

import org.fraudplatform.schemas.BankScheme;
import org.fraudplatform.schemas.CaptureMethod;
import org.fraudplatform.schemas.CardBrand;
import org.fraudplatform.schemas.CardFunding;
import org.fraudplatform.schemas.Channel;
import org.fraudplatform.schemas.WalletProvider;

/**
 * A validated authorization request, before tokenization. It holds the card number, so it lives
 * only in the API process's memory; {@link #toString()} never shows secrets.
 */
public record PaymentInput(
        long amount,
        String currency,
        Method method,
        CustomerInput customer,
        CaptureMethod captureMethod,
        Channel channel,
        String merchantCategoryCode,
        String reference) {

    /** The payment method, one of four kinds. */
    public sealed interface Method
            permits CardInput, BankTransferInput, WalletInput, ProviderTokenInput {}

    /** A card; number digits only. */
    public record CardInput(
            String number,
            int expMonth,
            int expYear,
            String cvc,
            CardBrand brand,
            CardFunding funding)
            implements Method {
        public String bin() {
            return number.substring(0, 6);
        }

        public String last4() {
            return number.substring(number.length() - 4);
        }

        @Override
        public String toString() {
            return "CardInput[" + bin() + "…" + last4() + ", " + brand + "]";
        }
    }

    /** A bank account by IBAN (normalized: no spaces, upper case). */
    public record BankTransferInput(String iban, String country, String bankCode, BankScheme scheme)
            implements Method {
        public String last4() {
            return iban.substring(iban.length() - 4);
        }

        @Override
        public String toString() {
            return "BankTransferInput[" + country + "…" + last4() + "]";
        }
    }

    /** A wallet payment token. */
    public record WalletInput(WalletProvider provider, String token) implements Method {
        @Override
        public String toString() {
            return "WalletInput[" + provider + "]";
        }
    }

    /**
     * A payment method a provider's own client-side script made in the payer's browser: the card
     * number never reaches the platform.
     *
     * @param provider the configured name of the provider that made it, which alone can charge it
     * @param kind what that provider is ({@code STRIPE}, {@code ADYEN})
     * @param token the token as the provider's script gave it
     * @param fingerprint the provider's fingerprint of the card behind the token (Stripe's {@code
     *     card.fingerprint}), if the merchant passes it: what links payments of one card
     */
    public record ProviderTokenInput(
            String provider, WalletProvider kind, String token, String fingerprint)
            implements Method {
        @Override
        public String toString() {
            return "ProviderTokenInput[" + provider + "]";
        }
    }

    /**
     * Who pays; every field optional. E-mail, phone and locale are where and how the customer hears
     * about the payment.
     */
    public record CustomerInput(
            String id,
            String email,
            String ip,
            String deviceId,
            String country,
            String phone,
            String locale) {
        @Override
        public String toString() {
            return "CustomerInput[" + id + "]";
        }
    }
}
