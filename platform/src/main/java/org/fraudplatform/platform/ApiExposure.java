package org.fraudplatform.platform;

import java.net.InetAddress;

/**
 * How the payment API meets the network, decided from where it listens ({@code --host}) and how:
 * HTTPS on any address; plain HTTP on a loopback address, reachable from this machine only; plain
 * HTTP on any other address only when the operator says that a TLS-terminating proxy is the way in
 * ({@code --allow-plain-http}), and then with a warning; otherwise the platform refuses to start,
 * because card numbers, API keys and people's passwords would cross the network in clear.
 */
public enum ApiExposure {
    /** HTTPS, wherever it listens. */
    HTTPS,
    /** Plain HTTP on a loopback address. */
    PLAIN_HTTP_ON_LOOPBACK,
    /** Plain HTTP on a non-loopback address, as the operator asked: warned about. */
    PLAIN_HTTP_ALLOWED,
    /** Plain HTTP on a non-loopback address, not asked for: the platform does not start. */
    REFUSED;

    /**
     * @param address the address the API listens on
     * @param tls whether a certificate and key are configured
     * @param allowPlainHttp whether {@code --allow-plain-http} was given
     */
    public static ApiExposure of(InetAddress address, boolean tls, boolean allowPlainHttp) {
        if (tls) {
            return HTTPS;
        }
        if (address.isLoopbackAddress()) {
            return PLAIN_HTTP_ON_LOOPBACK;
        }
        return allowPlainHttp ? PLAIN_HTTP_ALLOWED : REFUSED;
    }

    /** Why the platform does not start on {@code host} without TLS, and what to do. */
    static String refusal(String host) {
        return "--host "
                + host
                + " is not a loopback address, and without TLS the API would take card numbers,"
                + " API keys and passwords in plain HTTP from the network: give --tls-cert and"
                + " --tls-key to serve HTTPS, or --allow-plain-http when a TLS-terminating proxy"
                + " in front of the API is the only way to it";
    }

    /** The warning of {@link #PLAIN_HTTP_ALLOWED}, for the log and the start-up summary. */
    static String warning(String host) {
        return "PLAIN HTTP on "
                + host
                + ", which is not a loopback address (--allow-plain-http): only safe behind a"
                + " TLS-terminating proxy that is the only way to the API";
    }

    /**
     * The API's base URL as a person on this machine reaches it. With HTTPS a loopback address is
     * shown as {@code localhost}, the name a certificate for local use carries (an address rarely
     * is one of its names, and the client checks the URL's host against them).
     */
    static String url(String host, int port, boolean https) {
        boolean anyAddress = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
        boolean loopback = host.equals("127.0.0.1") || host.equals("::1") || host.equals("[::1]");
        String where;
        if (anyAddress || (https && loopback)) {
            where = "localhost";
        } else {
            where = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        }
        return (https ? "https" : "http") + "://" + where + ":" + port;
    }
}
