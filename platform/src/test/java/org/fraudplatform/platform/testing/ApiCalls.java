package org.fraudplatform.platform.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.fraudplatform.api.validation.CardNumbers;

/** The payment API as the platform tests call it: JSON over HTTP with a Bearer key. */
public final class ApiCalls {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;

    public ApiCalls(int port) {
        this.base = URI.create("http://127.0.0.1:" + port);
    }

    /** A POST with a fresh Idempotency-Key. */
    public HttpResponse<String> post(String key, String path, String body)
            throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(base.resolve(path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + key)
                        .header("Idempotency-Key", UUID.randomUUID().toString())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String key, String path)
            throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(base.resolve(path))
                        .header("Authorization", "Bearer " + key)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> delete(String key, String path)
            throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(base.resolve(path))
                        .header("Authorization", "Bearer " + key)
                        .DELETE()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A GET that must answer 200, as JSON. */
    public JsonNode getJson(String key, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = get(key, path);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /**
     * A card payment with automatic capture that must come back captured; returns its id. Each
     * {@code card} number picks its own test card (so velocity rules do not decline a series).
     *
     * @param customer the {@code customer} object as JSON
     */
    public String capturedCardPayment(String key, long amount, String card, String customer)
            throws IOException, InterruptedException {
        String body =
                """
                {"amount": %d, "currency": "EUR",
                 "payment_method": {"type": "card",
                   "card": {"number": "%s", "exp_month": 12, "exp_year": 2035, "cvc": "123"}},
                 "customer": %s, "capture_method": "automatic"}
                """
                        .formatted(amount, card, customer);
        HttpResponse<String> r = post(key, "/v1/payments", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode p = JSON.readTree(r.body());
        assertThat(p.get("status").asText()).as(r.body()).isEqualTo("captured");
        return p.get("id").asText();
    }

    /** A valid test card number: {@code prefix} (12 digits) and {@code n} (3 digits). */
    public static String card(String prefix, int n) {
        return CardNumbers.withCheckDigit(prefix + String.format("%03d", n));
    }

    /**
     * A unique payment reference without digits: a random one with a run of 13 to 19 digits that
     * passes the Luhn check (a UUID has one now and then, across its dashes too) is refused at the
     * edge as a card number in free text.
     */
    public static String reference() {
        return java.util.UUID.randomUUID().toString().replaceAll("[0-9]", "x");
    }

    /**
     * A valid Visa number that no other test of this run pays with: the velocity and card-testing
     * rules count a card across every test that shares a platform ({@link SharedPlatform}). Outside
     * the simulated provider's test cards, so it is approved.
     */
    public static String freshVisa() {
        return fresh("49");
    }

    /** Like {@link #freshVisa()}, a Mastercard number. */
    public static String freshMastercard() {
        return fresh("52");
    }

    /**
     * A valid German IBAN that no other test of this run pays from: like a card, an account is an
     * instrument the velocity rules count across tests that share a platform.
     */
    public static String freshIban() {
        StringBuilder bban = new StringBuilder();
        while (bban.length() < 18) {
            bban.append(java.util.concurrent.ThreadLocalRandom.current().nextInt(10));
        }
        // ISO 13616: the check digits make (BBAN, "DE", check digits) 1 modulo 97, letters as
        // 10..35 (D = 13, E = 14)
        int check =
                98
                        - new java.math.BigInteger(bban + "1314" + "00")
                                .mod(java.math.BigInteger.valueOf(97))
                                .intValue();
        return "DE" + String.format("%02d", check) + bban;
    }

    private static String fresh(String prefix) {
        StringBuilder digits = new StringBuilder(prefix);
        while (digits.length() < 15) {
            digits.append(java.util.concurrent.ThreadLocalRandom.current().nextInt(10));
        }
        return CardNumbers.withCheckDigit(digits.toString());
    }

    /** Waits up to 45 s until {@code done} holds, or fails naming {@code what}. */
    public static void await(String what, BooleanSupplier done) throws InterruptedException {
        await(what, Duration.ofSeconds(45), done);
    }

    /** Waits until {@code done} holds, or fails naming {@code what}. */
    public static void await(String what, Duration timeout, BooleanSupplier done)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + ": " + what);
            }
            Thread.sleep(100);
        }
    }
}
