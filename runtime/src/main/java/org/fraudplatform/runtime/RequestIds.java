package org.fraudplatform.runtime;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.slf4j.MDC;

/**
 * The id of the HTTP request a piece of work started from, so that one request can be followed
 * through the logs of every process: the API answers it in the {@code Request-Id} header, keeps it
 * in the logging context ({@link #MDC_KEY}) while it works on the request, and sends it with the
 * records it produces (Kafka header {@link #HEADER}); a topology that decodes such a record puts it
 * back into the logging context while it processes the record (and Kafka Streams carries the
 * headers on to the records it derives). The merchant ({@link #MERCHANT_KEY}) and the payment
 * ({@link #PAYMENT_KEY}) the request is about travel the same way, under the same names, once the
 * API knows them.
 */
public final class RequestIds {

    /** The Kafka header and the logging context key. */
    public static final String HEADER = "request_id";

    public static final String MDC_KEY = "request_id";

    /** The merchant a request is from: logging context key and Kafka header. */
    public static final String MERCHANT_KEY = "merchant_id";

    /** The payment a request is about: logging context key and Kafka header. */
    public static final String PAYMENT_KEY = "payment_id";

    /** Every key that travels from the logging context to the records and back. */
    private static final String[] TRAVELLING = {MDC_KEY, MERCHANT_KEY, PAYMENT_KEY};

    /** A client's own request id is kept when it looks like one; anything else is replaced. */
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private RequestIds() {}

    /** The client's id when it is 1 to 64 of {@code A-Z a-z 0-9 . _ : -}, else a new one. */
    public static String accept(String fromClient) {
        return fromClient != null && ACCEPTED.matcher(fromClient).matches()
                ? fromClient
                : generate();
    }

    /** A new id: {@code req_} and 16 hex digits. */
    public static String generate() {
        return "req_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    /**
     * Adds the current request's id, merchant and payment (from the logging context), those there
     * are, to headers.
     */
    public static void addTo(Headers headers) {
        for (String key : TRAVELLING) {
            String value = MDC.get(key);
            if (value != null) {
                headers.add(key, value.getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /**
     * Puts the request id, merchant and payment the headers carry into the logging context; a value
     * that does not look like an id is left out.
     *
     * @return whether there was any (then remove them with {@link #clear} when done)
     */
    public static boolean enter(Headers headers) {
        if (headers == null) {
            return false;
        }
        boolean entered = false;
        for (String key : TRAVELLING) {
            Header h = headers.lastHeader(key);
            if (h != null && h.value() != null) {
                String value = new String(h.value(), StandardCharsets.UTF_8);
                if (ACCEPTED.matcher(value).matches()) {
                    MDC.put(key, value);
                    entered = true;
                }
            }
        }
        return entered;
    }

    /** Takes the request id, merchant and payment out of the logging context. */
    public static void clear() {
        for (String key : TRAVELLING) {
            MDC.remove(key);
        }
    }
}
