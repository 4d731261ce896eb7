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
 * headers on to the records it derives).
 */
public final class RequestIds {

    /** The Kafka header and the logging context key. */
    public static final String HEADER = "request_id";

    public static final String MDC_KEY = "request_id";

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

    /** Adds the current request's id (from the logging context), if there is one, to headers. */
    public static void addTo(Headers headers) {
        String id = MDC.get(MDC_KEY);
        if (id != null) {
            headers.add(HEADER, id.getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * Puts the request id the headers carry into the logging context.
     *
     * @return whether there was one (then remove it with {@link #clear} when done)
     */
    public static boolean enter(Headers headers) {
        Header h = headers == null ? null : headers.lastHeader(HEADER);
        if (h == null || h.value() == null) {
            return false;
        }
        String id = new String(h.value(), StandardCharsets.UTF_8);
        if (!ACCEPTED.matcher(id).matches()) {
            return false;
        }
        MDC.put(MDC_KEY, id);
        return true;
    }

    /** Takes the request id out of the logging context. */
    public static void clear() {
        MDC.remove(MDC_KEY);
    }
}
