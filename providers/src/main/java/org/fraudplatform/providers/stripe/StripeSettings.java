package org.fraudplatform.providers.stripe;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.fraudplatform.providers.http.Secret;

/**
 * How the platform reaches one Stripe account.
 *
 * @param name the provider instance's name, recorded on ledger events
 * @param baseUri {@code https://api.stripe.com} in production, a local fake in tests
 * @param secretKey the account's secret key ({@code sk_test_…} or {@code sk_live_…}), sent as
 *     {@code Authorization: Bearer}
 * @param webhookSecret the endpoint's signing secret ({@code whsec_…}), null when webhooks are not
 *     received
 * @param connectTimeout how long a connection may take; a request whose connection failed never
 *     reached Stripe
 * @param callTimeout how long an answer may take once the request is sent; after it the outcome is
 *     {@code UNKNOWN}
 * @param captureMethod whether Stripe captures at authorization ({@code AUTOMATIC}) or waits for
 *     the ledger's capture ({@code MANUAL}, the default: the ledger decides every movement)
 */
public record StripeSettings(
        String name,
        URI baseUri,
        Secret secretKey,
        Secret webhookSecret,
        Duration connectTimeout,
        Duration callTimeout,
        CaptureMethod captureMethod) {

    /** Stripe's API host. */
    public static final URI PRODUCTION = URI.create("https://api.stripe.com");

    public enum CaptureMethod {
        MANUAL,
        AUTOMATIC
    }

    public StripeSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(baseUri, "baseUri");
        Objects.requireNonNull(secretKey, "secretKey");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(callTimeout, "callTimeout");
        Objects.requireNonNull(captureMethod, "captureMethod");
        String base = baseUri.toString();
        if (base.endsWith("/")) {
            baseUri = URI.create(base.substring(0, base.length() - 1));
        }
        if (!"https".equals(baseUri.getScheme()) && !isLoopback(baseUri)) {
            throw new IllegalArgumentException(
                    "Stripe's base URI must be https (plain http only on the loopback): "
                            + baseUri);
        }
    }

    /** Production host, 2 s to connect, 10 s to answer, manual capture, no webhooks. */
    public static StripeSettings of(String name, Secret secretKey) {
        return new StripeSettings(
                name,
                PRODUCTION,
                secretKey,
                null,
                Duration.ofSeconds(2),
                Duration.ofSeconds(10),
                CaptureMethod.MANUAL);
    }

    public StripeSettings withBaseUri(URI uri) {
        return new StripeSettings(
                name, uri, secretKey, webhookSecret, connectTimeout, callTimeout, captureMethod);
    }

    public StripeSettings withWebhookSecret(Secret secret) {
        return new StripeSettings(
                name, baseUri, secretKey, secret, connectTimeout, callTimeout, captureMethod);
    }

    public StripeSettings withTimeouts(Duration connect, Duration call) {
        return new StripeSettings(
                name, baseUri, secretKey, webhookSecret, connect, call, captureMethod);
    }

    public StripeSettings withCaptureMethod(CaptureMethod method) {
        return new StripeSettings(
                name, baseUri, secretKey, webhookSecret, connectTimeout, callTimeout, method);
    }

    static boolean isLoopback(URI uri) {
        String host = uri.getHost();
        return "http".equals(uri.getScheme())
                && host != null
                && (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]"));
    }
}
