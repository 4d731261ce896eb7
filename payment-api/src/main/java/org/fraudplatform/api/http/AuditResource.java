package org.fraudplatform.api.http;

import static org.fraudplatform.api.http.Requests.notAllowed;

import com.sun.net.httpserver.HttpExchange;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fraudplatform.api.audit.AuditTrail;
import org.fraudplatform.api.people.Permission;

/**
 * {@code GET /v1/audit}: the audit trail, newest first, for administrators ({@link
 * Permission#AUDIT}). Filters: {@code actor} ({@code person:ana}, {@code merchant:m_1}, …), {@code
 * action} (exact, or a prefix ending in a dot: {@code key.}), {@code subject}, {@code since} and
 * {@code until} (ISO-8601 instants); pages of {@code limit} (1 to 500, 100 by default) continued
 * with {@code starting_after=<the last event id>}, as the other lists of the API.
 */
final class AuditResource implements Resource {

    static final String PATH = "/v1/audit";

    private final ApiServer.Staff staff;
    private final Callers callers;

    AuditResource(ApiServer.Staff staff, Callers callers) {
        this.staff = staff;
        this.callers = callers;
    }

    @Override
    public boolean owns(String path) {
        return path.equals(PATH);
    }

    @Override
    public Routed handle(HttpExchange exchange, String method, String path) {
        return Routed.of("audit", method.equals("GET") ? read(exchange) : notAllowed(method));
    }

    private HttpReply read(HttpExchange exchange) {
        Callers.Staffed caller = callers.person(exchange, Permission.AUDIT);
        if (!caller.granted()) {
            return caller.refusal();
        }
        Map<String, String> q = Requests.query(exchange);
        int limit;
        try {
            limit = Integer.parseInt(q.getOrDefault("limit", "100"));
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > AuditTrail.MAX_LIMIT) {
            return invalid("limit", "a number from 1 to " + AuditTrail.MAX_LIMIT);
        }
        Instant since;
        Instant until;
        try {
            since = q.containsKey("since") ? Instant.parse(q.get("since")) : null;
        } catch (DateTimeParseException e) {
            return invalid("since", "an ISO-8601 instant such as 2026-01-31T00:00:00Z");
        }
        try {
            until = q.containsKey("until") ? Instant.parse(q.get("until")) : null;
        } catch (DateTimeParseException e) {
            return invalid("until", "an ISO-8601 instant such as 2026-01-31T00:00:00Z");
        }
        AuditTrail.Page page =
                staff.audit(
                        new AuditTrail.Query(
                                q.get("actor"),
                                q.get("action"),
                                q.get("subject"),
                                since,
                                until,
                                q.get("starting_after"),
                                limit));
        List<Map<String, Object>> data = page.entries().stream().map(AuditResource::json).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("object", "list");
        body.put("data", data);
        body.put("has_more", page.hasMore());
        return HttpReply.json(200, Json.write(body));
    }

    private static Map<String, Object> json(AuditTrail.Entry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.eventId());
        m.put("at", e.at().toString());
        m.put("actor", e.actor());
        m.put("action", e.action());
        m.put("subject", e.subject());
        m.put("details", e.details());
        return m;
    }

    private static HttpReply invalid(String field, String expected) {
        return HttpReply.problem(
                Problem.invalidFields(List.of(new Problem.FieldProblem(field, "is " + expected))));
    }
}
