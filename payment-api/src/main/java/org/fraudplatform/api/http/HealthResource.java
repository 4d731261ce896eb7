package org.fraudplatform.api.http;

import static org.fraudplatform.api.http.Requests.notAllowed;

import com.sun.net.httpserver.HttpExchange;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /health} (readiness: 200 when every check passes, else 503, with each check's state,
 * and beside them each provider's settlement fetch, which does not count for readiness), {@code GET
 * /metrics} (Prometheus exposition) and {@code GET /openapi.json} (the OpenAPI 3.1 description of
 * the API, {@value #OPENAPI_RESOURCE} on the class path). No key: they say nothing about any
 * merchant.
 */
final class HealthResource implements Resource {

    static final String OPENAPI_PATH = "/openapi.json";

    /** The description of the API, on the class path. */
    static final String OPENAPI_RESOURCE = "openapi.json";

    private final ApiServer.Health health;
    private final PrometheusMeterRegistry metrics;

    HealthResource(ApiServer.Health health, PrometheusMeterRegistry metrics) {
        this.health = health;
        this.metrics = metrics;
    }

    @Override
    public boolean owns(String path) {
        return path.equals("/health") || path.equals("/metrics") || path.equals(OPENAPI_PATH);
    }

    @Override
    public Routed handle(HttpExchange exchange, String method, String path) {
        if (path.equals("/health")) {
            return Routed.of("health", method.equals("GET") ? health() : notAllowed(method));
        }
        if (path.equals(OPENAPI_PATH)) {
            return Routed.of("openapi", method.equals("GET") ? openApi() : notAllowed(method));
        }
        return Routed.of(
                "metrics",
                method.equals("GET")
                        ? HttpReply.text(
                                200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape())
                        : notAllowed(method));
    }

    private HttpReply health() {
        Map<String, Boolean> checks = health.checks();
        boolean up = checks.values().stream().allMatch(Boolean::booleanValue);
        var body = new LinkedHashMap<String, Object>();
        body.put("status", up ? "up" : "down");
        var parts = new LinkedHashMap<String, String>();
        checks.forEach((name, ok) -> parts.put(name, ok ? "up" : "down"));
        body.put("checks", parts);
        body.putAll(health.details());
        return HttpReply.json(up ? 200 : 503, Json.write(body));
    }

    private static HttpReply openApi() {
        return HttpReply.json(200, OpenApiDocument.BYTES);
    }

    /** The document, read once. */
    private static final class OpenApiDocument {
        static final byte[] BYTES = read();

        private static byte[] read() {
            try (var in =
                    HealthResource.class.getClassLoader().getResourceAsStream(OPENAPI_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(OPENAPI_RESOURCE + " is not on the class path");
                }
                return in.readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
