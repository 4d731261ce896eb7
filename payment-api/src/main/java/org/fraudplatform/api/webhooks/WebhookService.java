package org.fraudplatform.api.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fraudplatform.api.http.ApiServer;
import org.fraudplatform.api.http.HttpReply;
import org.fraudplatform.api.http.Json;
import org.fraudplatform.api.http.Problem;
import org.fraudplatform.api.validation.ControlCharacters;
import org.fraudplatform.workers.webhooks.WebhookDestinations;
import org.fraudplatform.workers.webhooks.WebhookEvents;
import org.fraudplatform.workers.webhooks.WebhookStore;

/**
 * The merchants' webhook API: {@code POST|GET /v1/webhook_endpoints}, {@code DELETE
 * /v1/webhook_endpoints/{id}}, {@code GET /v1/webhook_deliveries?status=failed} and {@code POST
 * /v1/webhook_deliveries/{id}/resend}. A merchant sees and changes only its own.
 *
 * <p>An endpoint's URL must pass {@link WebhookDestinations} when it is registered: {@code https},
 * and a host whose every address is public (resolved now). Otherwise the answer is {@code 400
 * /problems/invalid-request} whose {@code url} error says why (the address and what it is, that the
 * name cannot be resolved, or that the URL is not {@code https}); nothing is stored.
 */
public final class WebhookService implements ApiServer.Webhooks {

    private static final int MAX_LIST = 500;

    private final WebhookStore store;
    private final WebhookDestinations destinations;
    private final Clock clock;

    public WebhookService(WebhookStore store, WebhookDestinations destinations, Clock clock) {
        this.store = store;
        this.destinations = destinations;
        this.clock = clock;
    }

    @Override
    public HttpReply createEndpoint(String merchantId, byte[] body) {
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return HttpReply.problem(Problem.malformedJson(e.getMessage()));
        }
        List<String> controls = ControlCharacters.fieldsWith(json);
        if (!controls.isEmpty()) {
            return HttpReply.problem(Problem.controlCharacters(controls));
        }
        List<Problem.FieldProblem> problems = new ArrayList<>();
        String url = json == null ? null : json.path("url").asText(null);
        if (url == null || url.isBlank()) {
            problems.add(new Problem.FieldProblem("url", "is required"));
        } else {
            try {
                destinations.check(url);
            } catch (WebhookDestinations.Refused refused) {
                problems.add(new Problem.FieldProblem("url", refused.getMessage()));
            }
        }
        List<String> events = new ArrayList<>();
        JsonNode e = json == null ? null : json.get("events");
        if (e == null || e.isNull()) {
            events.add("*");
        } else if (!e.isArray() || e.isEmpty()) {
            problems.add(
                    new Problem.FieldProblem(
                            "events", "must be a non-empty array of event types, or [\"*\"]"));
        } else {
            for (JsonNode t : e) {
                String type = t.asText();
                if (!type.equals("*") && !WebhookEvents.TYPES.contains(type)) {
                    problems.add(
                            new Problem.FieldProblem(
                                    "events",
                                    "'"
                                            + type
                                            + "' is not an event type; known: "
                                            + String.join(", ", WebhookEvents.TYPES)));
                }
                events.add(type);
            }
        }
        if (!problems.isEmpty()) {
            return HttpReply.problem(Problem.invalidFields(problems));
        }
        WebhookStore.Endpoint created = store.create(merchantId, url, events, clock.instant());
        Map<String, Object> out = view(created);
        out.put("secret", created.secret()); // shown once: the merchant verifies signatures with it
        return HttpReply.json(201, Json.write(out));
    }

    @Override
    public HttpReply endpoints(String merchantId) {
        List<Map<String, Object>> data = new ArrayList<>();
        store.endpoints(merchantId).forEach(e -> data.add(view(e)));
        return HttpReply.json(200, Json.write(Map.of("data", data)));
    }

    @Override
    public HttpReply deleteEndpoint(String merchantId, String id) {
        return store.disable(merchantId, id)
                ? HttpReply.json(200, Json.write(Map.of("id", id, "deleted", true)))
                : HttpReply.problem(Problem.notFound("No webhook endpoint " + id));
    }

    @Override
    public HttpReply deliveries(String merchantId, Map<String, String> query) {
        String status = query.get("status");
        if (status != null && !List.of("pending", "delivered", "failed").contains(status)) {
            return HttpReply.problem(
                    Problem.invalidFields(
                            List.of(
                                    new Problem.FieldProblem(
                                            "status", "must be pending, delivered or failed"))));
        }
        int limit = 100;
        if (query.containsKey("limit")) {
            try {
                limit = Math.min(MAX_LIST, Math.max(1, Integer.parseInt(query.get("limit"))));
            } catch (NumberFormatException e) {
                return HttpReply.problem(
                        Problem.invalidFields(
                                List.of(new Problem.FieldProblem("limit", "must be a number"))));
            }
        }
        List<Map<String, Object>> data = new ArrayList<>();
        for (WebhookStore.Delivery d : store.deliveries(merchantId, status, limit)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", d.id());
            m.put("endpoint_id", d.endpointId());
            m.put("event_id", d.eventId());
            m.put("event_type", d.eventType());
            m.put("status", d.status());
            m.put("attempts", d.attempts());
            m.put("last_status", d.lastStatus());
            m.put("last_error", d.lastError());
            m.put(
                    "next_attempt_at",
                    d.nextAttemptAt() == null ? null : d.nextAttemptAt().toString());
            m.put("created_at", d.createdAt().toString());
            m.put("delivered_at", d.deliveredAt() == null ? null : d.deliveredAt().toString());
            data.add(m);
        }
        return HttpReply.json(200, Json.write(Map.of("data", data)));
    }

    @Override
    public HttpReply resend(String merchantId, String deliveryId) {
        return store.resend(merchantId, deliveryId, clock.instant())
                ? HttpReply.json(202, Json.write(Map.of("id", deliveryId, "status", "pending")))
                : HttpReply.problem(Problem.notFound("No failed webhook delivery " + deliveryId));
    }

    private static Map<String, Object> view(WebhookStore.Endpoint e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("url", e.url());
        m.put("events", e.events());
        m.put("created_at", e.createdAt().toString());
        return m;
    }
}
