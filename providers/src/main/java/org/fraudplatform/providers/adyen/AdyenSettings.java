package org.fraudplatform.providers.adyen;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.fraudplatform.providers.http.Secret;

/**
 * How the platform reaches one Adyen merchant account through the Checkout API.
 *
 * @param name the provider instance's name, recorded on ledger events
 * @param baseUri the Checkout API with its version: {@code https://checkout-test.adyen.com/v71} for
 *     the test environment, {@code https://<prefix>-checkout-live.adyenpayments.com/checkout/v71}
 *     live, a local fake in tests
 * @param apiKey the API credential's key, sent as {@code X-API-Key}
 * @param merchantAccount the merchant account every request names
 * @param hmacKey the webhook endpoint's HMAC key (hex), null when notifications are not received
 * @param connectTimeout how long a connection may take; a request whose connection failed never
 *     reached Adyen
 * @param callTimeout how long an answer may take once the request is sent; after it the outcome is
 *     {@code UNKNOWN}
 * @param manualCapture whether authorizations wait for the ledger's capture ({@code
 *     additionalData.manualCapture}, the default) or follow the account's capture delay
 */
public record AdyenSettings(
        String name,
        URI baseUri,
        Secret apiKey,
        String merchantAccount,
        Secret hmacKey,
        Duration connectTimeout,
        Duration callTimeout,
        boolean manualCapture) {

    /** Adyen's Checkout test environment. */
    public static final URI TEST = URI.create("https://checkout-test.adyen.com/v71");

    public AdyenSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(baseUri, "baseUri");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(merchantAccount, "merchantAccount");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(callTimeout, "callTimeout");
        String base = baseUri.toString();
        if (base.endsWith("/")) {
            baseUri = URI.create(base.substring(0, base.length() - 1));
        }
        String host = baseUri.getHost();
        boolean loopback =
                "http".equals(baseUri.getScheme())
                        && host != null
                        && (host.equals("localhost") || host.equals("127.0.0.1"));
        if (!"https".equals(baseUri.getScheme()) && !loopback) {
            throw new IllegalArgumentException(
                    "Adyen's base URI must be https (plain http only on the loopback): " + baseUri);
        }
    }

    /** The test environment, 2 s to connect, 10 s to answer, manual capture, no notifications. */
    public static AdyenSettings of(String name, Secret apiKey, String merchantAccount) {
        return new AdyenSettings(
                name,
                TEST,
                apiKey,
                merchantAccount,
                null,
                Duration.ofSeconds(2),
                Duration.ofSeconds(10),
                true);
    }

    public AdyenSettings withBaseUri(URI uri) {
        return new AdyenSettings(
                name,
                uri,
                apiKey,
                merchantAccount,
                hmacKey,
                connectTimeout,
                callTimeout,
                manualCapture);
    }

    public AdyenSettings withHmacKey(Secret key) {
        return new AdyenSettings(
                name,
                baseUri,
                apiKey,
                merchantAccount,
                key,
                connectTimeout,
                callTimeout,
                manualCapture);
    }

    public AdyenSettings withTimeouts(Duration connect, Duration call) {
        return new AdyenSettings(
                name, baseUri, apiKey, merchantAccount, hmacKey, connect, call, manualCapture);
    }
}
