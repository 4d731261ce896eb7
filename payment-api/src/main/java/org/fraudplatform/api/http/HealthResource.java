package org.fraudplatform.api.http;

import static org.fraudplatform.api.http.Requests.notAllowed;

import com.sun.net.httpserver.HttpExchange;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /health} (readiness: 200 when every check passes, else 503, with each check's state)
 * and {@code GET /metrics} (Prometheus exposition). No key: they say nothing about any merchant.
 */
final class HealthResource implements Resource {

    private final ApiServer.Health health;
    private final PrometheusMeterRegistry metrics;

    HealthResource(ApiServer.Health health, PrometheusMeterRegistry metrics) {
        this.health = health;
        this.metrics = metrics;
    }

    @Override
    public boolean owns(String path) {
        return path.equals("/health") || path.equals("/metrics");
    }

    @Override
    public Routed handle(HttpExchange exchange, String method, String path) {
        if (path.equals("/health")) {
            return Routed.of("health", method.equals("GET") ? health() : notAllowed(method));
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
        return HttpReply.json(up ? 200 : 503, Json.write(body));
    }
}
