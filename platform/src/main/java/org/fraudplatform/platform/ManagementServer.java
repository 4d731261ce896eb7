package org.fraudplatform.platform;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * What an operator's probes and Prometheus read from a role that serves no API (a risk, ledger or
 * reconciliation instance): {@code GET /health/live} (200 while the process works: no topology has
 * died), {@code GET /health/ready} (200 when every check passes, else 503; the checks by name in
 * JSON either way, as the API's {@code /health}) and {@code GET /metrics} (Prometheus exposition:
 * the JVM, the process, and the Kafka Streams and client metrics of every topology the role runs).
 */
final class ManagementServer implements AutoCloseable {

    /** The port a role without the API serves these on unless told otherwise. */
    static final int DEFAULT_PORT = 9464;

    private final HttpServer server;

    private ManagementServer(HttpServer server) {
        this.server = server;
    }

    /**
     * Starts serving.
     *
     * @param live checks that fail only when the process should be restarted
     * @param ready checks that pass when the role does its work now
     */
    static ManagementServer start(
            InetSocketAddress address,
            PrometheusMeterRegistry metrics,
            Supplier<Map<String, Boolean>> live,
            Supplier<Map<String, Boolean>> ready)
            throws IOException {
        HttpServer server = HttpServer.create(address, 64);
        server.setExecutor(
                Executors.newSingleThreadExecutor(
                        r -> {
                            Thread t = new Thread(r, "management-http");
                            t.setDaemon(true);
                            return t;
                        }));
        server.createContext(
                "/",
                exchange -> {
                    try (exchange) {
                        String path = exchange.getRequestURI().getPath();
                        if (!exchange.getRequestMethod().equals("GET")) {
                            send(exchange, 405, "text/plain", "GET only\n");
                        } else if (path.equals("/metrics")) {
                            send(
                                    exchange,
                                    200,
                                    "text/plain; version=0.0.4; charset=utf-8",
                                    metrics.scrape());
                        } else if (path.equals("/health/live")) {
                            checks(exchange, live.get());
                        } else if (path.equals("/health/ready") || path.equals("/health")) {
                            checks(exchange, ready.get());
                        } else {
                            send(exchange, 404, "text/plain", "no such page: " + path + "\n");
                        }
                    }
                });
        server.start();
        return new ManagementServer(server);
    }

    private static void checks(HttpExchange exchange, Map<String, Boolean> checks)
            throws IOException {
        boolean up = checks.values().stream().allMatch(Boolean::booleanValue);
        StringBuilder json = new StringBuilder("{\"status\":\"" + (up ? "up" : "down") + "\"");
        json.append(",\"checks\":{");
        String sep = "";
        for (Map.Entry<String, Boolean> c : checks.entrySet()) {
            json.append(sep)
                    .append('"')
                    .append(c.getKey())
                    .append("\":\"")
                    .append(c.getValue() ? "up" : "down")
                    .append('"');
            sep = ",";
        }
        json.append("}}\n");
        send(exchange, up ? 200 : 503, "application/json", json.toString());
    }

    private static void send(HttpExchange exchange, int status, String type, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
