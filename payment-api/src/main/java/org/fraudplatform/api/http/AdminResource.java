package org.fraudplatform.api.http;

import static org.fraudplatform.api.http.Requests.notAllowed;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.fraudplatform.api.keys.ApiKey;
import org.fraudplatform.api.keys.ApiKeys;
import org.fraudplatform.api.keys.Scope;
import org.fraudplatform.api.merchants.MerchantAdmin;
import org.fraudplatform.api.people.People;
import org.fraudplatform.api.people.Permission;
import org.fraudplatform.api.people.Person;
import org.fraudplatform.api.people.Role;
import org.fraudplatform.api.validation.FreeText;

/**
 * What {@code fraud merchants}, {@code fraud keys} and {@code fraud users} do, over HTTP, for
 * administrators: merchants and their keys ({@link Permission#MERCHANTS}), people and their tokens
 * ({@link Permission#PEOPLE}). Every change is audited under the administrator's name and answered
 * only once the audit trail has it; a secret (a key, a password, a token) is in the reply that made
 * it and nowhere else.
 *
 * <ul>
 *   <li>{@code POST /v1/admin/merchants} {@code {"name", "id"?}}: a merchant and its first key;
 *   <li>{@code GET|POST /v1/admin/merchants/{id}/keys} {@code {"scopes"?, "rate_limit"?,
 *       "expires_in_days"?, "name"?}}; {@code POST /v1/admin/merchants/{id}/keys/rotate} {@code
 *       {"old_expires_in_hours"}}; {@code POST /v1/admin/keys/{key_id}/revoke};
 *   <li>{@code GET|POST /v1/admin/people} {@code {"name", "role"}}; {@code POST
 *       /v1/admin/people/{name}/disable}; {@code POST /v1/admin/people/{name}/tokens} {@code
 *       {"expires_in_days"?}}; {@code POST /v1/admin/tokens/{token_id}/revoke}.
 * </ul>
 */
final class AdminResource implements Resource {

    static final String PATH = "/v1/admin";

    private final ApiServer.Staff staff;
    private final Callers callers;

    AdminResource(ApiServer.Staff staff, Callers callers) {
        this.staff = staff;
        this.callers = callers;
    }

    @Override
    public boolean owns(String path) {
        return path.startsWith(PATH + "/");
    }

    @Override
    public Routed handle(HttpExchange exchange, String method, String path) {
        String[] p = path.substring(PATH.length() + 1).split("/", -1);
        boolean people = p[0].equals("people") || p[0].equals("tokens");
        Callers.Staffed caller =
                callers.person(exchange, people ? Permission.PEOPLE : Permission.MERCHANTS);
        if (!caller.granted()) {
            return Routed.of("admin", caller.refusal());
        }
        String who = caller.person().auditName();
        try {
            JsonNode body =
                    method.equals("POST")
                            ? Json.MAPPER.readTree(nonEmpty(Requests.body(exchange)))
                            : null;
            if (body != null && !body.isObject()) {
                return Routed.of("admin", invalid("body", "must be a JSON object"));
            }
            List<String> cards = FreeText.fieldsWithCardNumbers(body, "name");
            if (!cards.isEmpty()) {
                return Routed.of("admin", invalid(cards.get(0), FreeText.REFUSAL));
            }
            return Routed.of(
                    people ? "admin.people" : "admin.merchants",
                    route(method, p, body, who, caller.person()));
        } catch (IOException e) {
            return Routed.of("admin", HttpReply.problem(Problem.malformedJson(e.getMessage())));
        } catch (IllegalArgumentException e) {
            return Routed.of(
                    "admin",
                    HttpReply.problem(
                            Problem.of(
                                    400,
                                    "invalid-request",
                                    "The change was refused",
                                    e.getMessage())));
        } catch (Exception e) {
            return Routed.of(
                    "admin",
                    HttpReply.problem(
                            Problem.unavailable(
                                    "The change could not be audited, so it was not confirmed: "
                                            + e.getMessage())));
        }
    }

    private HttpReply route(String method, String[] p, JsonNode body, String who, Person me)
            throws Exception {
        MerchantAdmin merchants = staff.merchants();
        People people = staff.people();
        // merchants and keys
        if (p[0].equals("merchants")) {
            if (p.length == 1) {
                if (!method.equals("POST")) {
                    return notAllowed(method);
                }
                String name = text(body, "name");
                if (name == null || name.isBlank()) {
                    return invalid("name", "is required");
                }
                String id = Optional.ofNullable(text(body, "id")).orElse(MerchantAdmin.idFor(name));
                ApiKeys.Issued issued =
                        merchants.createMerchant(id, name, ApiKeys.NewKey.defaults(), who);
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("merchant", id);
                out.put("name", name);
                out.put("key", issuedJson(issued));
                return HttpReply.json(201, Json.write(out));
            }
            if (p.length == 3 && p[2].equals("keys")) {
                if (method.equals("GET")) {
                    List<Map<String, Object>> keys = new ArrayList<>();
                    for (ApiKey k : merchants.keys(p[1])) {
                        keys.add(keyJson(k));
                    }
                    return list(keys);
                }
                if (method.equals("POST")) {
                    return HttpReply.json(
                            201,
                            Json.write(issuedJson(merchants.createKey(p[1], newKey(body), who))));
                }
                return notAllowed(method);
            }
            if (p.length == 4 && p[2].equals("keys") && p[3].equals("rotate")) {
                if (!method.equals("POST")) {
                    return notAllowed(method);
                }
                long hours = body.path("old_expires_in_hours").asLong(24);
                if (hours < 0 || hours > 24 * 90) {
                    return invalid("old_expires_in_hours", "is 0 to 2160");
                }
                List<Map<String, Object>> rotated = new ArrayList<>();
                for (ApiKeys.Rotation r : merchants.rotate(p[1], Duration.ofHours(hours), who)) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("old", keyJson(r.old()));
                    m.put("successor", issuedJson(r.successor()));
                    rotated.add(m);
                }
                return list(rotated);
            }
        }
        if (p[0].equals("keys") && p.length == 3 && p[2].equals("revoke")) {
            return method.equals("POST")
                    ? HttpReply.json(200, Json.write(keyJson(merchants.revoke(p[1], who))))
                    : notAllowed(method);
        }
        // people and tokens
        if (p[0].equals("people")) {
            if (p.length == 1 && method.equals("GET")) {
                List<Map<String, Object>> all = new ArrayList<>();
                for (People.Listed l : people.list()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("name", l.name());
                    m.put("role", l.role().label());
                    m.put("created_at", l.createdAt().toString());
                    m.put("created_by", l.createdBy());
                    m.put("disabled_at", l.disabledAt() == null ? null : l.disabledAt().toString());
                    all.add(m);
                }
                return list(all);
            }
            if (p.length == 1 && method.equals("POST")) {
                String name = text(body, "name");
                Optional<Role> role = Role.of(Optional.ofNullable(text(body, "role")).orElse(""));
                if (role.isEmpty()) {
                    return invalid("role", "is analyst, data-scientist or admin");
                }
                String password = people.create(name, role.get(), who);
                staff.record(who, "person.created", name, Map.of("role", role.get().label()));
                People.IssuedToken token = people.issueToken(name, People.TOKEN_VALIDITY, who);
                staff.record(who, "person.token.issued", name, tokenDetails(token));
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("name", name);
                out.put("role", role.get().label());
                out.put("password", password);
                out.put("token", tokenJson(token));
                return HttpReply.json(201, Json.write(out));
            }
            if (p.length == 3 && p[2].equals("disable") && method.equals("POST")) {
                if (p[1].equals(me.name())) {
                    return invalid("name", "is you: another administrator disables you");
                }
                if (!people.disable(p[1], who)) {
                    return HttpReply.problem(Problem.notFound("No active person named " + p[1]));
                }
                staff.record(who, "person.disabled", p[1], Map.of());
                return HttpReply.json(200, Json.write(Map.of("name", p[1], "disabled", true)));
            }
            if (p.length == 3 && p[2].equals("tokens") && method.equals("POST")) {
                long days = body.path("expires_in_days").asLong(90);
                if (days < 1 || days > 365) {
                    return invalid("expires_in_days", "is 1 to 365");
                }
                People.IssuedToken token = people.issueToken(p[1], Duration.ofDays(days), who);
                staff.record(who, "person.token.issued", p[1], tokenDetails(token));
                return HttpReply.json(201, Json.write(tokenJson(token)));
            }
        }
        if (p[0].equals("tokens") && p.length == 3 && p[2].equals("revoke")) {
            if (!method.equals("POST")) {
                return notAllowed(method);
            }
            Optional<String> person = people.revokeToken(p[1], who);
            if (person.isEmpty()) {
                return HttpReply.problem(Problem.notFound("No live token " + p[1]));
            }
            staff.record(who, "person.token.revoked", person.get(), Map.of("token_id", p[1]));
            return HttpReply.json(200, Json.write(Map.of("token_id", p[1], "revoked", true)));
        }
        return Requests.notFound(PATH + "/" + String.join("/", p));
    }

    private static ApiKeys.NewKey newKey(JsonNode body) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        if (body.has("scopes")) {
            if (!body.get("scopes").isArray() || body.get("scopes").isEmpty()) {
                throw new IllegalArgumentException("scopes: a non-empty list of scope names");
            }
            body.get("scopes").forEach(s -> scopes.add(Scope.of(s.asText())));
        }
        Integer rate =
                body.has("rate_limit")
                        ? Integer.valueOf(bounded(body, "rate_limit", 1, 1_000_000))
                        : ApiKeys.DEFAULT_RATE_LIMIT;
        Duration expires =
                body.has("expires_in_days")
                        ? Duration.ofDays(bounded(body, "expires_in_days", 1, 3_650))
                        : null;
        return new ApiKeys.NewKey(
                scopes.isEmpty() ? null : scopes, rate, expires, text(body, "name"));
    }

    private static int bounded(JsonNode body, String field, int min, int max) {
        JsonNode n = body.get(field);
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < min || n.asInt() > max) {
            throw new IllegalArgumentException(
                    field + ": a whole number from " + min + " to " + max);
        }
        return n.asInt();
    }

    private static Map<String, Object> keyJson(ApiKey k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", k.keyId());
        m.put("merchant", k.merchantId());
        m.put("prefix", k.prefix());
        m.put("name", k.name());
        m.put("scopes", Scope.names(k.scopes()).split(","));
        m.put("rate_limit", k.rateLimit());
        m.put("created_at", k.createdAt().toString());
        m.put("expires_at", k.expiresAt() == null ? null : k.expiresAt().toString());
        m.put("revoked_at", k.revokedAt() == null ? null : k.revokedAt().toString());
        m.put("active", k.activeAt(Instant.now()));
        return m;
    }

    private static Map<String, Object> issuedJson(ApiKeys.Issued issued) {
        Map<String, Object> m = keyJson(issued.key());
        m.put("secret", issued.secret());
        return m;
    }

    private static Map<String, Object> tokenJson(People.IssuedToken t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("token_id", t.tokenId());
        m.put("person", t.person());
        m.put("token", t.token());
        m.put("expires_at", t.expiresAt().toString());
        return m;
    }

    private static Map<String, String> tokenDetails(People.IssuedToken t) {
        return Map.of(
                "token_id", t.tokenId(), "expires_at", t.expiresAt().toString(), "via", "http");
    }

    private static HttpReply list(List<Map<String, Object>> data) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("object", "list");
        out.put("data", data);
        out.put("has_more", false);
        return HttpReply.json(200, Json.write(out));
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body == null ? null : body.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static byte[] nonEmpty(byte[] body) {
        return body.length == 0 ? "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8) : body;
    }

    private static HttpReply invalid(String field, String message) {
        return HttpReply.problem(
                Problem.invalidFields(List.of(new Problem.FieldProblem(field, message))));
    }
}
