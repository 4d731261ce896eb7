package org.fraudplatform.workers.notifications;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The customer messages per event type and locale: {@code notifications/<locale>/<event>.txt} on
 * the class path, a {@code subject:} line, an {@code sms:} line (also the push text), {@code ---},
 * then the e-mail body; {@code {{amount}}}, {@code {{merchant}}} and {@code {{payment_id}}} are
 * filled in. A locale without its own templates falls back to its language, then to English.
 */
public final class Templates {

    /** A template's three parts. */
    record Template(String subject, String sms, String body) {}

    private final Map<String, Optional<Template>> cache = new ConcurrentHashMap<>();

    /** The event types with templates (those customers hear about). */
    public static final java.util.List<String> EVENTS =
            java.util.List.of(
                    "payment.captured", "payment.refunded", "payment.declined", "payment.voided");

    /** The message for {@code channel}, or empty when the event has no template. */
    public Optional<Message> render(
            Channel channel,
            String recipient,
            String locale,
            String eventType,
            String paymentId,
            String merchant,
            long amountMinor,
            String currency) {
        Optional<Template> t = find(locale, eventType);
        if (t.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> values =
                Map.of(
                        "amount",
                        BigDecimal.valueOf(amountMinor, 2).toPlainString() + " " + currency,
                        "merchant",
                        merchant,
                        "payment_id",
                        paymentId);
        String text = fill(channel == Channel.EMAIL ? t.get().body() : t.get().sms(), values);
        String subject = channel == Channel.EMAIL ? fill(t.get().subject(), values) : null;
        return Optional.of(
                new Message(channel, recipient, subject, text, locale, paymentId, eventType));
    }

    private Optional<Template> find(String locale, String eventType) {
        String language = locale.split("-")[0].toLowerCase(Locale.ROOT);
        for (String l : new String[] {locale, language, "en"}) {
            Optional<Template> t = cache.computeIfAbsent(l + "/" + eventType, Templates::load);
            if (t.isPresent()) {
                return t;
            }
        }
        return Optional.empty();
    }

    private static Optional<Template> load(String path) {
        try (InputStream in =
                Templates.class.getResourceAsStream("/notifications/" + path + ".txt")) {
            if (in == null) {
                return Optional.empty();
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int split = text.indexOf("\n---\n");
            if (split < 0) {
                throw new IllegalStateException(path + ": no '---' line before the body");
            }
            String subject = null;
            String sms = null;
            for (String line : text.substring(0, split).split("\n")) {
                if (line.startsWith("subject:")) {
                    subject = line.substring("subject:".length()).trim();
                } else if (line.startsWith("sms:")) {
                    sms = line.substring("sms:".length()).trim();
                }
            }
            if (subject == null || sms == null) {
                throw new IllegalStateException(path + ": needs a subject: and an sms: line");
            }
            return Optional.of(
                    new Template(subject, sms, text.substring(split + 5).strip() + "\n"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read template " + path, e);
        }
    }

    private static String fill(String template, Map<String, String> values) {
        String out = template;
        for (Map.Entry<String, String> v : values.entrySet()) {
            out = out.replace("{{" + v.getKey() + "}}", v.getValue());
        }
        return out;
    }
}
