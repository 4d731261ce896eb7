package org.fraudplatform.platform.logging;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.fraudplatform.schemas.cards.CardNumberDetector;

/**
 * The platform's log lines, as text for a person at a terminal or as JSON for a log pipeline:
 * {@code FRAUD_LOG_FORMAT=json} (or the {@code format} property in {@code logback.xml}).
 *
 * <p>A JSON line is one object: {@code timestamp} (ISO-8601, UTC), {@code level}, {@code logger},
 * {@code thread}, {@code message}, every key of the logging context at the top level ({@code
 * request_id}, {@code merchant_id}, {@code payment_id}, ...) and {@code exception} (the stack
 * trace) when there is one. Card numbers are masked in the message, the context and the stack trace
 * as in the text format ({@link CardNumberDetector}). An unknown format is reported and the text
 * format used: a typo never silences the logs.
 */
public final class PlatformLogEncoder extends EncoderBase<ILoggingEvent> {

    /** The formats this encoder writes. */
    public enum Format {
        TEXT,
        JSON
    }

    private static final JsonFactory JSON = new JsonFactory();

    private String format = "text";
    private String pattern = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{30} - %maskedMsg%n";
    private Format chosen = Format.TEXT;
    private PatternLayout text;
    private ThrowableProxyConverter stackTraces;

    /** {@code text} (the default) or {@code json}, in any case. */
    public void setFormat(String format) {
        this.format = format;
    }

    /** The pattern of the text format. */
    public void setPattern(String pattern) {
        this.pattern = pattern;
    }

    public Format format() {
        return chosen;
    }

    @Override
    public void start() {
        String asked = format == null ? "" : format.trim().toUpperCase(Locale.ROOT);
        if (asked.isEmpty() || asked.equals("TEXT")) {
            chosen = Format.TEXT;
        } else if (asked.equals("JSON")) {
            chosen = Format.JSON;
        } else {
            chosen = Format.TEXT;
            addError(
                    "unknown log format '"
                            + format
                            + "' (FRAUD_LOG_FORMAT takes text or json); writing text");
        }
        text = new PatternLayout();
        text.setContext(getContext());
        text.setPattern(pattern);
        text.start();
        stackTraces = new ThrowableProxyConverter();
        stackTraces.setContext(getContext());
        stackTraces.start();
        super.start();
    }

    @Override
    public void stop() {
        if (text != null) {
            text.stop();
        }
        if (stackTraces != null) {
            stackTraces.stop();
        }
        super.stop();
    }

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        if (chosen == Format.TEXT) {
            return text.doLayout(event).getBytes(StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField(
                    "timestamp", Instant.ofEpochMilli(event.getTimeStamp()).toString());
            json.writeStringField("level", event.getLevel().toString());
            json.writeStringField("logger", event.getLoggerName());
            json.writeStringField("thread", event.getThreadName());
            json.writeStringField("message", CardNumberDetector.mask(event.getFormattedMessage()));
            Map<String, String> context = event.getMDCPropertyMap();
            if (context != null) {
                for (Map.Entry<String, String> e : new TreeMap<>(context).entrySet()) {
                    String key = CardNumberDetector.mask(e.getKey());
                    if (!RESERVED.contains(key)) {
                        json.writeStringField(key, CardNumberDetector.mask(e.getValue()));
                    }
                }
            }
            if (event.getThrowableProxy() != null) {
                json.writeStringField(
                        "exception", CardNumberDetector.mask(stackTraces.convert(event)).strip());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    private static final java.util.Set<String> RESERVED =
            java.util.Set.of("timestamp", "level", "logger", "thread", "message", "exception");
}
