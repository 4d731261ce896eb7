package org.fraudplatform.platform.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.fraudplatform.platform.Platform;
import org.fraudplatform.platform.testing.ApiCalls;
import org.fraudplatform.platform.testing.SharedPlatform;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Generated requests against every endpoint of a running platform: valid requests with one part
 * changed (a field dropped, a value of another type, huge, negative, deeply nested, in another
 * script), bodies of random bytes or cut short, odd headers and query strings. Whatever the
 * request, the answer is never a server error, and every refusal says what is wrong as {@code
 * application/problem+json}. The generator is seeded ({@value #SEED}): a failure names the request
 * and replays the same way.
 */
@Execution(value = ExecutionMode.SAME_THREAD, reason = SharedPlatform.LANE)
class ApiFuzzIT {

    static final long SEED = 20261207L;
    static final int REQUESTS = 1_200;
    static final String IBAN = ApiCalls.freshIban();

    @RegisterExtension static final SharedPlatform shared = new SharedPlatform();
    static Platform platform;
    static String merchantKey;
    static String adminToken;
    static URI base;
    static String paymentId;
    static final HttpClient http =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
    static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        platform = shared.platform();
        merchantKey = shared.demoKey();
        adminToken = shared.adminToken();
        base = shared.base();
        HttpResponse<String> created =
                send(
                        "POST",
                        "/v1/payments",
                        merchantKey,
                        "seed-payment",
                        "application/json",
                        PAYMENT.getBytes(StandardCharsets.UTF_8));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        paymentId = json.readTree(created.body()).path("id").asText();
    }

    static final String PAYMENT =
            """
            {"amount": 2500, "currency": "EUR",
             "payment_method": {"type": "card",
               "card": {"number": "%s", "exp_month": 12, "exp_year": 2035, "cvc": "123"}},
             "customer": {"id": "cus_fuzz", "email": "fuzz@example.com", "ip": "203.0.113.9",
               "country": "DE", "device_id": "dev-1", "phone": "+4915112345678"},
             "capture_method": "manual", "reference": "order-fuzz"}
            """
                    .formatted(ApiCalls.freshVisa());

    /** An endpoint: method, path ({@code {id}} becomes a payment's id), who calls, a valid body. */
    record Endpoint(String method, String path, boolean person, String body) {}

    static final List<Endpoint> ENDPOINTS =
            List.of(
                    new Endpoint("POST", "/v1/payments", false, PAYMENT),
                    new Endpoint(
                            "POST",
                            "/v1/payments",
                            false,
                            """
                            {"amount": 120000, "currency": "EUR",
                             "payment_method": {"type": "bank_transfer",
                               "bank_transfer": {"iban": "%s"}},
                             "customer": {"id": "cus_bank", "email": "bank@example.com", "ip": "203.0.113.10", "country": "DE"}}
                            """
                                    .formatted(IBAN)),
                    new Endpoint("GET", "/v1/payments?customer=cus_fuzz&limit=10", false, null),
                    new Endpoint("GET", "/v1/payments/{id}", false, null),
                    new Endpoint("GET", "/v1/payments/{id}/events", false, null),
                    new Endpoint("GET", "/v1/payments/{id}/refunds", false, null),
                    new Endpoint("POST", "/v1/payments/{id}/capture", false, "{\"amount\": 1000}"),
                    new Endpoint("POST", "/v1/payments/{id}/void", false, "{}"),
                    new Endpoint(
                            "POST",
                            "/v1/payments/{id}/refunds",
                            false,
                            "{\"amount\": 100, \"reason\": \"requested_by_customer\"}"),
                    new Endpoint(
                            "POST",
                            "/v1/payments/{id}/fraud_reports",
                            false,
                            "{\"reason\": \"customer says it was not them\"}"),
                    new Endpoint("GET", "/v1/reviews?limit=5", false, null),
                    new Endpoint(
                            "POST", "/v1/reviews/{id}/approve", false, "{\"note\": \"checked\"}"),
                    new Endpoint("GET", "/v1/balances", false, null),
                    new Endpoint("GET", "/v1/reconciliation?date=2026-12-01", false, null),
                    new Endpoint("GET", "/v1/webhook_endpoints", false, null),
                    new Endpoint(
                            "POST",
                            "/v1/webhook_endpoints",
                            false,
                            "{\"url\": \"https://198.51.100.20/hooks\", \"events\":"
                                    + " [\"payment.captured\"]}"),
                    new Endpoint("GET", "/v1/webhook_deliveries?status=failed", false, null),
                    new Endpoint("POST", "/v1/webhook_deliveries/wd_1/resend", false, "{}"),
                    new Endpoint("GET", "/v1/lists", true, null),
                    new Endpoint(
                            "POST",
                            "/v1/lists/blocked_ips",
                            true,
                            "{\"value\": \"198.51.100.77\", \"note\": \"fuzz\","
                                    + " \"expires_in_days\": 1}"),
                    new Endpoint(
                            "POST",
                            "/v1/provider-notifications",
                            true,
                            "{\"type\": \"chargeback.opened\", \"payment_id\": \"{id}\","
                                    + " \"chargeback_id\": \"cb_1\", \"reason_code\": \"10.4\","
                                    + " \"provider\": \"simulated-a\"}"),
                    new Endpoint(
                            "POST",
                            "/v1/reconciliation/resolutions",
                            true,
                            "{\"item_id\": \"{id}/capture\", \"note\": \"fuzz\"}"),
                    new Endpoint("GET", "/v1/audit?limit=3", true, null),
                    new Endpoint("GET", "/health", false, null));

    @Test
    void shouldNeverAnswerAServerErrorAndExplainEveryRefusal() throws Exception {
        Random random = new Random(SEED);
        List<String> problems = new ArrayList<>();
        int[] byClass = new int[6];
        int unsendable = 0;
        for (int i = 0; i < REQUESTS; i++) {
            Endpoint e = ENDPOINTS.get(random.nextInt(ENDPOINTS.size()));
            String path = e.path().replace("{id}", random.nextInt(4) == 0 ? "pay_nope" : paymentId);
            String body = e.body() == null ? null : e.body().replace("{id}", paymentId);
            String contentType = "application/json";
            String idempotencyKey = "fuzz-" + i;
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            String change;
            switch (random.nextInt(10)) {
                case 0, 1, 2, 3 -> {
                    if (body != null) {
                        JsonNode tree = json.readTree(body);
                        change = mutate(tree, random);
                        bytes = json.writeValueAsBytes(tree);
                    } else {
                        path = mutateQuery(path, random);
                        change = "query " + path;
                    }
                }
                case 4 -> {
                    bytes = new byte[random.nextInt(300)];
                    random.nextBytes(bytes);
                    change = "random bytes";
                }
                case 5 -> {
                    bytes = java.util.Arrays.copyOf(bytes, bytes.length / 2);
                    change = "body cut short";
                }
                case 6 -> {
                    int depth = 500 + random.nextInt(3_000);
                    bytes =
                            ("[".repeat(depth) + "]".repeat(depth))
                                    .getBytes(StandardCharsets.UTF_8);
                    change = "nested " + depth + " deep";
                }
                case 7 -> {
                    idempotencyKey = randomText(random, random.nextInt(300));
                    change = "idempotency key " + printable(idempotencyKey);
                }
                case 8 -> {
                    contentType = random.nextBoolean() ? "text/plain" : randomText(random, 20);
                    change = "content type " + printable(contentType);
                }
                default -> {
                    path = mutateQuery(path, random);
                    change = "query " + path;
                }
            }
            String credential = e.person() ? adminToken : merchantKey;
            HttpResponse<String> r;
            try {
                r = send(e.method(), path, credential, idempotencyKey, contentType, bytes);
            } catch (IllegalArgumentException refusedByTheClient) {
                unsendable++; // a header or URI the HTTP client itself will not send
                continue;
            }
            byClass[r.statusCode() / 100]++;
            String request = "#" + i + " " + e.method() + " " + path + " (" + change + ")";
            if (r.statusCode() >= 500) {
                problems.add(request + " → " + r.statusCode() + " " + r.body());
            } else if (r.statusCode() >= 400
                    && !r.headers()
                            .firstValue("Content-Type")
                            .orElse("")
                            .startsWith("application/problem+json")) {
                problems.add(request + " → " + r.statusCode() + " without problem+json");
            }
        }
        System.out.printf(
                "fuzz: %d requests generated, %d the client would not send; answers: 2xx %d,"
                        + " 3xx %d, 4xx %d, 5xx %d%n",
                REQUESTS, unsendable, byClass[2], byClass[3], byClass[4], byClass[5]);
        assertThat(problems).as("seed %d", SEED).isEmpty();
        assertThat(byClass[2]).as("some requests were valid and served").isPositive();
        assertThat(byClass[4]).as("some were refused").isPositive();
    }

    /** Changes one field of the tree at random; says what it did. */
    private static String mutate(JsonNode tree, Random random) {
        List<String> paths = new ArrayList<>();
        collect(tree, "", paths);
        if (paths.isEmpty() || !(tree instanceof ObjectNode)) {
            ((ObjectNode) tree).put("unexpected", "field");
            return "an unknown field";
        }
        String target = paths.get(random.nextInt(paths.size()));
        String[] parts = target.substring(1).split("/");
        JsonNode parent = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            parent = parent.get(parts[i]);
        }
        ObjectNode owner = (ObjectNode) parent;
        String field = parts[parts.length - 1];
        if (random.nextInt(4) == 0) {
            owner.remove(field);
            return target + " dropped";
        }
        JsonNode value = randomValue(random);
        owner.set(field, value);
        String shown = value.toString();
        return target + " = " + (shown.length() > 60 ? shown.substring(0, 60) + "…" : shown);
    }

    private static void collect(JsonNode node, String at, List<String> paths) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            paths.add(at + "/" + name);
            JsonNode child = node.get(name);
            if (child.isObject()) {
                collect(child, at + "/" + name, paths);
            }
        }
    }

    private static JsonNode randomValue(Random random) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (random.nextInt(14)) {
            case 0 -> f.nullNode();
            case 1 -> f.booleanNode(random.nextBoolean());
            case 2 -> f.numberNode(-random.nextInt(1_000_000));
            case 3 -> f.numberNode(Long.MAX_VALUE);
            case 4 -> f.numberNode(new java.math.BigInteger("9".repeat(40)));
            case 5 -> f.numberNode(random.nextDouble() * 1e6);
            case 6 -> f.numberNode(new java.math.BigDecimal("1e400"));
            case 7 -> f.textNode("");
            case 8 -> f.textNode(randomText(random, 1 + random.nextInt(40)));
            case 9 -> f.textNode("x".repeat(70_000));
            case 10 -> f.textNode("4111 1111 1111 1111");
            case 11 -> {
                ArrayNode a = f.arrayNode();
                a.add(1).add("two").addNull();
                yield a;
            }
            case 12 -> {
                ObjectNode o = f.objectNode();
                o.put("nested", randomText(random, 5));
                yield o;
            }
            default -> f.textNode("0");
        };
    }

    private static String mutateQuery(String path, Random random) {
        String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        String[] keys = {
            "limit",
            "cursor",
            "starting_after",
            "status",
            "from",
            "to",
            "since",
            "until",
            "customer",
            "card",
            "date",
            "merchant",
            "action",
            "actor",
            "kind"
        };
        String[] values = {
            "-1", "0", "999999999999", "abc", "%zz", "%00", "2026-13-45", "", "null", "🙂", "a%20b"
        };
        StringBuilder q = new StringBuilder(bare).append('?');
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                q.append('&');
            }
            q.append(keys[random.nextInt(keys.length)])
                    .append('=')
                    .append(values[random.nextInt(values.length)]);
        }
        return q.toString();
    }

    private static String randomText(Random random, int length) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(5);
            s.appendCodePoint(
                    switch (kind) {
                        case 0 -> 'a' + random.nextInt(26);
                        case 1 -> 0x0400 + random.nextInt(0x100); // Cyrillic
                        case 2 -> 0x1F600 + random.nextInt(0x50); // emoji
                        case 3 -> random.nextInt(0x20); // control characters
                        default -> 0x20 + random.nextInt(0x5F);
                    });
        }
        return s.toString();
    }

    private static String printable(String s) {
        String shown =
                s.codePoints()
                        .map(c -> c < 0x20 ? '?' : c)
                        .collect(
                                StringBuilder::new,
                                StringBuilder::appendCodePoint,
                                StringBuilder::append)
                        .toString();
        return shown.length() > 40 ? shown.substring(0, 40) + "…" : shown;
    }

    private static HttpResponse<String> send(
            String method,
            String path,
            String credential,
            String idempotencyKey,
            String contentType,
            byte[] body)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(base.resolve(path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + credential)
                        .header("Idempotency-Key", idempotencyKey)
                        .header("Content-Type", contentType)
                        .method(
                                method,
                                method.equals("GET")
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofByteArray(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
