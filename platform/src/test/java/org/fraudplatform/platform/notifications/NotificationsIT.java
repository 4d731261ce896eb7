package org.fraudplatform.platform.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fraudplatform.platform.Platform;
import org.fraudplatform.platform.TestSettings;
import org.fraudplatform.platform.testing.ApiCalls;
import org.fraudplatform.runtime.TopicIo;
import org.fraudplatform.schemas.CustomerNotification;
import org.fraudplatform.schemas.serde.SchemaRegistries;
import org.fraudplatform.schemas.topics.Topics;
import org.fraudplatform.workers.notifications.NotificationSettings;
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
    static ApiCalls api;
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
        api = new ApiCalls(platform.apiPort());
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
                api.post(merchantKey, "/v1/payments/" + anna + "/refunds", "{\"amount\": 234}");
        assertThat(refund.statusCode()).as(refund.body()).isEqualTo(201);
        String nobody = pay(999, 1, null, null, null);

        ApiCalls.await("anna's two e-mails", () -> mailsTo("anna@example.com").size() == 2);
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
        ApiCalls.await(
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

        // five payments captured (the helper checks it) to one address: three e-mails, the rest
        // rate limited
        for (int i = 0; i < 5; i++) {
            pay(500 + i, 10, "bob@example.com", null, "en-GB");
        }
        ApiCalls.await("bob's e-mails", () -> mailsTo("bob@example.com").size() == PER_HOUR);
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
        return TopicIo.readAll(platform.kafkaConnection(), topics.notificationsLog()).stream()
                .map(r -> r.value())
                .filter(n -> n.getChannel().equals("sms"))
                .toList();
    }

    private static String pay(long amount, int i, String email, String phone, String locale)
            throws Exception {
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
        return api.capturedCardPayment(
                merchantKey, amount, ApiCalls.card("424242000002", i), customer.toString());
    }
}
