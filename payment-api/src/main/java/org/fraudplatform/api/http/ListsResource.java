package org.fraudplatform.api.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.fraudplatform.api.people.Permission;
import org.fraudplatform.schemas.cards.CardNumberDetector;

/**
 * {@code GET /v1/lists}, {@code POST /v1/lists/{list}} with {@code {"value", "note",
 * "expires_in_days"}}, {@code DELETE /v1/lists/{list}/{value}}: the block and allow lists, for a
 * person whose role may change them ({@link Permission#LISTS}), audited under their name. A value
 * or note holding a card number is refused with 400 naming the field (card lists hold instrument
 * tokens).
 */
final class ListsResource implements Resource {

    static final String PATH = "/v1/lists";

    /** An entry lasts at most ten years; without {@code expires_in_days} it lasts until removed. */
    static final int MAX_DAYS = 3_650;

    private final ApiServer.Operations operations;
    private final Callers callers;

    ListsResource(ApiServer.Operations operations, Callers callers) {
        this.operations = operations;
        this.callers = callers;
    }

    @Override
    public boolean owns(String path) {
        return path.equals(PATH) || path.startsWith(PATH + "/");
    }

    @Override
    public Routed handle(HttpExchange exchange, String method, String path) {
        return Routed.of("lists", answer(exchange, method, path.substring(PATH.length())));
    }

    private HttpReply answer(HttpExchange exchange, String method, String rest) {
        Callers.Staffed caller = callers.person(exchange, Permission.LISTS);
        if (!caller.granted()) {
            return caller.refusal();
        }
        String author = caller.person().auditName();
        String[] parts = rest.isEmpty() ? new String[0] : rest.substring(1).split("/", -1);
        try {
            if (parts.length == 0 && method.equals("GET")) {
                return HttpReply.json(200, Json.write(Map.of("data", operations.lists())));
            }
            if (parts.length == 1 && method.equals("POST")) {
                var body = Json.MAPPER.readTree(Requests.body(exchange));
                String value = body.path("value").asText(null);
                String note = body.path("note").asText(null);
                List<String> cards =
                        java.util.stream.Stream.of("value", "note")
                                .filter(f -> CardNumberDetector.contains(body.path(f).asText()))
                                .toList();
                if (!cards.isEmpty()) {
                    return HttpReply.problem(Problem.cardNumbers(cards));
                }
                if (value == null || note == null || note.isBlank()) {
                    return HttpReply.problem(
                            Problem.invalidFields(
                                    List.of(
                                            new Problem.FieldProblem(
                                                    value == null ? "value" : "note",
                                                    "is required"))));
                }
                Duration expires = null;
                if (body.has("expires_in_days")) {
                    var days = body.get("expires_in_days");
                    if (!days.canConvertToInt()
                            || !days.isIntegralNumber()
                            || days.asInt() < 1
                            || days.asInt() > MAX_DAYS) {
                        return HttpReply.problem(
                                Problem.invalidFields(
                                        List.of(
                                                new Problem.FieldProblem(
                                                        "expires_in_days",
                                                        "is a whole number of days from 1 to "
                                                                + MAX_DAYS))));
                    }
                    expires = Duration.ofDays(days.asInt());
                }
                return HttpReply.json(
                        201,
                        Json.write(operations.addToList(parts[0], value, note, expires, author)));
            }
            if (parts.length == 2 && method.equals("DELETE")) {
                operations.removeFromList(
                        parts[0], URLDecoder.decode(parts[1], StandardCharsets.UTF_8), author);
                return HttpReply.json(200, Json.write(Map.of("removed", true)));
            }
            return HttpReply.problem(Problem.methodNotAllowed(method));
        } catch (IllegalArgumentException e) {
            return HttpReply.problem(
                    Problem.of(400, "invalid-list-entry", "Invalid list entry", e.getMessage()));
        } catch (IOException e) {
            return HttpReply.problem(Problem.malformedJson(e.getMessage()));
        }
    }
}
