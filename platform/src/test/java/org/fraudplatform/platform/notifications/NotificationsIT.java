package org.fraudplatform.platform.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.fraudplatform.api.notifications.NotificationSettings;
import org.fraudplatform.api.validation.CardNumbers;
import org.fraudplatform.platform.Platform;
import org.fraudplatform.platform.TestSettings;
import org.fraudplatform.platform.rules.TopicIo;
import org.fraudplatform.schemas.CustomerNotification;
import org.fraudplatform.schemas.serde.SchemaRegistries;
import org.fraudplatform.schemas.topics.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Customers hear about their payments: an e-mail through a real SMTP server (in process) in their
 * language, an SMS through the log sender, one message per payment and event, and no more than the
 * hourly limit to one address.
 */
class NotificationsIT {

    static final int PER_HOUR = 3;

    @TempDir static Path dataDir;
    static GreenMail smtp;
    static Platform platform;
    static String merchantKey;
    static URI base;
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort());
        smtp.start();
        platform =
                Platform.start(
                        TestSettings.embedded(
                                dataDir,
                                new NotificationSettings(
                                        "127.0.0.1",
                                        smtp.getSmtp().getPort(),
                                        "payments@shop.example",
                                        PER_HOUR)),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        merchantKey = Files.readString(dataDir.resolve(Platform.DEMO_KEY_FILE)).trim();
        base = URI.create("http://127.0.0.1:" + platform.apiPort());
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
    }

    @Test
    void customersGetOneMessagePerEventInTheirLanguageAndNoMoreThanTheHourlyLimit()
            throws Exception {
        String anna = pay(1_234, 0, "anna@example.com", "+4915112345678", "de");
        HttpResponse<String> refund =
                post("/v1/payments/" + anna + "/refunds", "{\"amount\": 234}");
        assertThat(refund.statusCode()).as(refund.body()).isEqualTo(201);
        String nobody = pay(999, 1, null, null, null);

        awaitTrue("anna's two e-mails", () -> mailsTo("anna@example.com").size() == 2);
        List<MimeMessage> toAnna = mailsTo("anna@example.com");
        List<String> subjects = new ArrayList<>();
        for (MimeMessage m : toAnna) {
            subjects.add(m.getSubject());
            String body = ((String) m.getContent());
            assertThat(body).contains(anna).doesNotContain("4242");
            assertThat(m.getFrom()[0].toString()).isEqualTo("payments@shop.example");
        }
        assertThat(subjects)
                .containsExactlyInAnyOrder(
                        "Ihre Zahlung über 12.34 EUR an Demo merchant",
                        "Demo merchant hat 2.34 EUR erstattet");

        Topics topics = Topics.create(SchemaRegistries.connect(platform.schemaRegistryUrl()), 3);
        awaitTrue(
                "anna's text messages",
                () -> sms(topics).stream().filter(n -> n.getPaymentId().equals(anna)).count() == 2);
        List<CustomerNotification> texts =
                sms(topics).stream().filter(n -> n.getPaymentId().equals(anna)).toList();
        assertThat(texts)
                .allSatisfy(
                        n -> {
                            assertThat(n.getRecipient()).isEqualTo("+49*********78");
                            assertThat(n.getLocale()).isEqualTo("de");
                        });
        assertThat(texts)
                .extracting(CustomerNotification::getText)
                .anyMatch(
                        t ->
                                t.equals(
                                        "Demo merchant: Sie haben 12.34 EUR bezahlt (Ref. "
                                                + anna
                                                + ")."));

        // five captured payments to one address: three e-mails, the rest rate limited
        for (int i = 0; i < 5; i++) {
            pay(500 + i, 10 + i, "bob@example.com", null, "en-GB");
        }
        awaitTrue("bob's e-mails", () -> mailsTo("bob@example.com").size() == PER_HOUR);
        Thread.sleep(3_000);
        assertThat(mailsTo("bob@example.com")).hasSize(PER_HOUR);
        assertThat(mailsTo("bob@example.com").get(0).getSubject())
                .as("en-GB falls back to English")
                .startsWith("Your payment of 5");
        assertThat(sms(topics)).noneMatch(n -> n.getPaymentId().equals(nobody));
        assertThat(smtp.getReceivedMessages())
                .as("one message per payment and event, none for a payment without a contact")
                .hasSize(2 + PER_HOUR);
    }

    // ---- helpers ----

    private static List<MimeMessage> mailsTo(String address) {
        List<MimeMessage> out = new ArrayList<>();
        try {
            for (MimeMessage m : smtp.getReceivedMessages()) {
                if (m.getRecipients(RecipientType.TO)[0].toString().equals(address)) {
                    out.add(m);
                }
            }
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static List<CustomerNotification> sms(Topics topics) {
        return TopicIo.readAll(platform.bootstrapServers(), topics.notificationsLog()).stream()
                .map(r -> r.value())
                .filter(n -> n.getChannel().equals("sms"))
                .toList();
    }

    private static void awaitTrue(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "timed out: " + what + "; e-mails " + smtp.getReceivedMessages().length);
            }
            Thread.sleep(100);
        }
    }

    private static String pay(long amount, int i, String email, String phone, String locale)
            throws Exception {
        String card = CardNumbers.withCheckDigit("424242000002" + String.format("%03d", i));
        StringBuilder customer = new StringBuilder("{\"id\": \"cus_n" + i + "\"");
        if (email != null) {
            customer.append(", \"email\": \"").append(email).append('"');
        }
        if (phone != null) {
            customer.append(", \"phone\": \"").append(phone).append('"');
        }
        if (locale != null) {
            customer.append(", \"locale\": \"").append(locale).append('"');
        }
        customer.append(", \"ip\": \"198.51.100.").append(80 + i).append("\"}");
        String body =
                """
                {"amount": %d, "currency": "EUR",
                 "payment_method": {"type": "card",
                   "card": {"number": "%s", "exp_month": 12, "exp_year": 2035, "cvc": "123"}},
                 "customer": %s, "capture_method": "automatic"}
                """
                        .formatted(amount, card, customer);
        HttpResponse<String> r = post("/v1/payments", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json.readTree(r.body()).get("id").asText();
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(base.resolve(path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + merchantKey)
                        .header("Idempotency-Key", UUID.randomUUID().toString())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
