package org.fraudplatform.providers.adyen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Adyen's Checkout API as its documentation describes it, on the loopback, for tests: {@code
 * /payments} and the captures, cancels and refunds of a payment, {@code X-API-Key}, idempotency
 * keys, the result codes and refusal reasons its test environment gives for a {@code holderName}
 * ("Testing result codes and refusal reasons"), its test cards, its error body, and standard
 * notifications signed with the HMAC key.
 *
 * <p>Settlement: {@link #closeBatch} closes the payout batch, writes its Settlement details report
 * (the standard columns, a {@code Settled} row per capture with Interchange++ fees, a {@code
 * Refunded} row per refund, the batch's {@code Fee} and {@code MerchantPayout} lines, times in
 * {@code CET}/{@code CEST}), serves it at {@code
 * /reports/download/MerchantAccount/<merchant>/settlement_detail_report_batch_<n>.csv} to the
 * report user (basic authentication) or the report API key, and announces it with a signed {@code
 * REPORT_AVAILABLE} notification ("Get reports automatically", "Settlement details report").
 *
 * <p>Faults: {@link #answerSlowly} (done, answered late) and {@link #failNextAfterApplying} (done,
 * answered 500). An idempotency key reused with another body is refused {@code 422} with {@code
 * errorCode 704}.
 */
public final class FakeAdyen implements AutoCloseable {

    public static final String API_KEY = "AQEyhmfxFakeKeyForTheLocalAdyen0000";
    public static final String MERCHANT = "FraudPlatformECOM";

    public static final String COMPANY = "FraudPlatform";
    public static final String REPORT_USER = "report@Company.FraudPlatform";
    public static final String REPORT_PASSWORD = "local-report-user-password";
    public static final String REPORT_API_KEY = "AQEqhmfxReportKeyOfTheLocalAdyen0001";

    /** Adyen's published sample HMAC key. */
    public static final String HMAC_KEY =
            "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056";

    /** Adyen's test card numbers that authorise. */
    static final Set<String> TEST_CARDS =
            Set.of("4111111145551142", "5555341244441115", "370000000000002");

    /** holderName → resultCode, refusalReason, refusalReasonCode. */
    static final Map<String, String[]> HOLDER_NAMES =
            Map.ofEntries(
                    Map.entry("DECLINED", new String[] {"Refused", "Refused", "2"}),
                    Map.entry("REFERRAL", new String[] {"Refused", "Referral", "3"}),
                    Map.entry("ERROR", new String[] {"Error", "Acquirer Error", "4"}),
                    Map.entry("BLOCK_CARD", new String[] {"Refused", "Blocked Card", "5"}),
                    Map.entry("CARD_EXPIRED", new String[] {"Refused", "Expired Card", "6"}),
                    Map.entry("INVALID_AMOUNT", new String[] {"Refused", "Invalid Amount", "7"}),
                    Map.entry("INVALID_CARD", new String[] {"Refused", "Invalid Card Number", "8"}),
                    Map.entry(
                            "ISSUER_UNAVAILABLE",
                            new String[] {"Refused", "Issuer Unavailable", "9"}),
                    Map.entry(
                            "NOT_ENOUGH_BALANCE",
                            new String[] {"Refused", "Not enough balance", "12"}),
                    Map.entry("FRAUD", new String[] {"Refused", "FRAUD", "20"}),
                    Map.entry("CVC_DECLINED", new String[] {"Refused", "CVC Declined", "24"}));

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService pool;
    private final AtomicLong psp = new AtomicLong(8_815_000_000_000_000L);
    private final Map<String, ObjectNode> payments = new LinkedHashMap<>();
    private final Map<String, String[]> idempotency = new HashMap<>();
    private final List<ObjectNode> modifications = new ArrayList<>();
    private final List<ObjectNode> notifications = new ArrayList<>();
    private final Map<String, Integer> calls = new HashMap<>();
    private final java.util.function.Supplier<java.time.Instant> clock;
    private final List<String[]> unsettled = new ArrayList<>();
    private final Map<String, String> reports = new LinkedHashMap<>();
    private final Map<String, Integer> downloads = new HashMap<>();
    private int batch;
    private volatile int failDownloads;
    private int authorised;
    private volatile Duration answerDelay = Duration.ZERO;
    private volatile int failAfterApplying;

    public FakeAdyen() throws IOException {
        this(java.time.Instant::now);
    }

    /** A local Adyen whose bookings are dated by {@code clock}. */
    public FakeAdyen(java.util.function.Supplier<java.time.Instant> clock) throws IOException {
        this.clock = clock;
        pool =
                Executors.newCachedThreadPool(
                        r -> {
                            Thread t = new Thread(r, "fake-adyen");
                            t.setDaemon(true);
                            return t;
                        });
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(pool);
        server.createContext("/v71/", this::handle);
        server.createContext("/reports/download/", this::download);
        server.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v71");
    }

    /** Where the merchant account's reports are downloaded from. */
    public URI reports() {
        return URI.create(
                "http://127.0.0.1:"
                        + server.getAddress().getPort()
                        + "/reports/download/MerchantAccount/"
                        + MERCHANT);
    }

    /** The next {@code n} report downloads are answered 500. */
    public void failNextDownloads(int n) {
        failDownloads = n;
    }

    public synchronized int downloads(String fileName) {
        return downloads.getOrDefault(fileName, 0);
    }

    /**
     * Closes the payout batch: every capture and refund since the last one goes into its Settlement
     * details report, which is announced.
     *
     * @return the report's file name
     */
    public synchronized String closeBatch() {
        java.time.Instant now = clock.get();
        int number = ++batch;
        StringBuilder csv =
                new StringBuilder(String.join(",", AdyenSettlementReport.STANDARD_COLUMNS))
                        .append('\n');
        java.math.BigDecimal payout = java.math.BigDecimal.ZERO;
        String currency = "EUR";
        for (String[] s : unsettled) {
            // s: type, psp, merchant reference, modification psp, modification reference, currency,
            // minor amount, booked at
            currency = s[5];
            int digits = java.util.Currency.getInstance(s[5]).getDefaultFractionDigits();
            java.math.BigDecimal gross = java.math.BigDecimal.valueOf(Long.parseLong(s[6]), digits);
            boolean settled = s[0].equals("Settled");
            java.math.BigDecimal markup =
                    settled ? java.math.BigDecimal.valueOf(11, 2) : java.math.BigDecimal.ZERO;
            java.math.BigDecimal scheme =
                    settled ? java.math.BigDecimal.valueOf(2, 2) : java.math.BigDecimal.ZERO;
            java.math.BigDecimal interchange =
                    settled
                            ? gross.multiply(new java.math.BigDecimal("0.003"))
                                    .setScale(digits, java.math.RoundingMode.HALF_UP)
                            : java.math.BigDecimal.ZERO;
            java.math.BigDecimal fees = markup.add(scheme).add(interchange);
            java.math.BigDecimal net = settled ? gross.subtract(fees) : gross;
            payout = settled ? payout.add(net) : payout.subtract(net);
            java.time.ZonedDateTime at =
                    java.time.Instant.parse(s[7]).atZone(java.time.ZoneId.of("Europe/Amsterdam"));
            csv.append(
                            String.join(
                                    ",",
                                    COMPANY,
                                    MERCHANT,
                                    s[1],
                                    s[2],
                                    "visa",
                                    at.format(
                                            java.time.format.DateTimeFormatter.ofPattern(
                                                    "yyyy-MM-dd HH:mm:ss")),
                                    at.getZone().getRules().isDaylightSavings(at.toInstant())
                                            ? "CEST"
                                            : "CET",
                                    s[0],
                                    s[3],
                                    s[5],
                                    settled ? "" : gross.toPlainString(),
                                    settled ? gross.toPlainString() : "",
                                    "1",
                                    s[5],
                                    settled ? "" : net.toPlainString(),
                                    settled ? net.toPlainString() : "",
                                    "",
                                    settled ? markup.toPlainString() : "",
                                    settled ? scheme.toPlainString() : "",
                                    settled ? interchange.toPlainString() : "",
                                    "visaclassic",
                                    s[4],
                                    Integer.toString(number)))
                    .append('\n');
        }
        String closed =
                now.atZone(java.time.ZoneId.of("Europe/Amsterdam"))
                        .format(
                                java.time.format.DateTimeFormatter.ofPattern(
                                        "yyyy-MM-dd HH:mm:ss"));
        String zone =
                java.time.ZoneId.of("Europe/Amsterdam").getRules().isDaylightSavings(now)
                        ? "CEST"
                        : "CET";
        csv.append(
                        String.join(
                                ",",
                                COMPANY,
                                MERCHANT,
                                "",
                                "",
                                "",
                                closed,
                                zone,
                                "Fee",
                                "Transaction Fees " + now.toString().substring(0, 7),
                                currency,
                                "",
                                "",
                                "",
                                currency,
                                "0.00",
                                "",
                                "",
                                "",
                                "",
                                "",
                                "",
                                "",
                                Integer.toString(number)))
                .append('\n');
        csv.append(
                        String.join(
                                ",",
                                COMPANY,
                                MERCHANT,
                                "",
                                "",
                                "",
                                closed,
                                zone,
                                "MerchantPayout",
                                "TX" + number + "XT batch " + number,
                                currency,
                                "",
                                "",
                                "",
                                currency,
                                payout.signum() > 0 ? payout.toPlainString() : "",
                                payout.signum() < 0 ? payout.negate().toPlainString() : "",
                                "",
                                "",
                                "",
                                "",
                                "",
                                "",
                                Integer.toString(number)))
                .append('\n');
        unsettled.clear();
        return publishReport("settlement_detail_report_batch_" + number + ".csv", csv.toString());
    }

    /** A report as served, as a merchant downloads it from the Customer Area. */
    public synchronized String report(String fileName) {
        return reports.get(fileName);
    }

    /** Serves a report as it is and announces it (a malformed one, for tests). */
    public synchronized String publishReport(String fileName, String csv) {
        reports.put(fileName, csv);
        ObjectNode item = JSON.createObjectNode();
        item.put("pspReference", fileName);
        item.put("merchantAccountCode", MERCHANT);
        item.put("merchantReference", "");
        item.putObject("amount").put("currency", "EUR").put("value", 0);
        item.put("eventCode", "REPORT_AVAILABLE");
        item.put("success", "true");
        item.put("reason", reports() + "/" + fileName);
        notify(item, clock.get());
        return fileName;
    }

    private void download(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String prefix = "/reports/download/MerchantAccount/" + MERCHANT + "/";
            String basic =
                    "Basic "
                            + java.util.Base64.getEncoder()
                                    .encodeToString(
                                            (REPORT_USER + ":" + REPORT_PASSWORD)
                                                    .getBytes(StandardCharsets.UTF_8));
            int status;
            String body;
            synchronized (this) {
                String file = path.startsWith(prefix) ? path.substring(prefix.length()) : null;
                if (file != null) {
                    downloads.merge(file, 1, Integer::sum);
                }
                boolean allowed =
                        basic.equals(exchange.getRequestHeaders().getFirst("Authorization"))
                                || REPORT_API_KEY.equals(
                                        exchange.getRequestHeaders().getFirst("X-API-Key"));
                if (!allowed) {
                    status = 401;
                    body = "HTTP Status 401 - Unauthorized";
                } else if (failDownloads > 0) {
                    failDownloads--;
                    status = 500;
                    body = "HTTP Status 500 - Internal Server Error";
                } else if (file == null || !reports.containsKey(file)) {
                    status = 404;
                    body = "HTTP Status 404 - Not Found";
                } else {
                    status = 200;
                    body = reports.get(file);
                }
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders()
                    .set("Content-Type", status == 200 ? "text/csv" : "text/plain");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Every answer after this delay (the operation applied at once). */
    public void answerSlowly(Duration delay) {
        answerDelay = delay;
    }

    void failNextAfterApplying(int n) {
        failAfterApplying = n;
    }

    public synchronized int authorised() {
        return authorised;
    }

    synchronized int calls(String path) {
        return calls.getOrDefault(path, 0);
    }

    synchronized ObjectNode payment(String pspReference) {
        return payments.get(pspReference);
    }

    public synchronized List<ObjectNode> payments() {
        return List.copyOf(payments.values());
    }

    synchronized List<ObjectNode> modifications() {
        return List.copyOf(modifications);
    }

    /** Standard notifications, each a whole delivery body, signed. */
    synchronized List<ObjectNode> notifications() {
        return List.copyOf(notifications);
    }

    public synchronized List<ObjectNode> notifications(String eventCode) {
        return notifications.stream()
                .filter(n -> item(n).path("eventCode").asText().equals(eventCode))
                .toList();
    }

    static JsonNode item(JsonNode delivery) {
        return delivery.path("notificationItems").path(0).path("NotificationRequestItem");
    }

    /** A dispute step on a payment, as Adyen notifies it. */
    public synchronized void dispute(String pspReference, String eventCode, String reasonCode) {
        ObjectNode payment = payments.get(pspReference);
        ObjectNode item = JSON.createObjectNode();
        item.put("pspReference", nextPsp());
        item.put("originalReference", pspReference);
        item.put("merchantAccountCode", MERCHANT);
        item.put("merchantReference", payment.path("reference").asText());
        item.set("amount", payment.path("amount").deepCopy());
        item.put("eventCode", eventCode);
        item.put("success", "true");
        item.put("reason", "Fraud - card absent");
        if (reasonCode != null) {
            item.putObject("additionalData").put("chargebackReasonCode", reasonCode);
        }
        notify(item);
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring("/v71".length());
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            String body =
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String[] reply;
            synchronized (this) {
                calls.merge(
                        path.replaceAll("/payments/[^/]+/", "/payments/{psp}/"), 1, Integer::sum);
                if (!API_KEY.equals(exchange.getRequestHeaders().getFirst("X-API-Key"))) {
                    reply = error(401, "000", "HTTP Status Response - Unauthorized", "security");
                } else if (key != null && idempotency.containsKey(key)) {
                    String[] stored = idempotency.get(key);
                    reply =
                            stored[0].equals(body)
                                    ? new String[] {stored[1], stored[2]}
                                    : error(
                                            422,
                                            "704",
                                            "request already processed or in progress",
                                            "validation");
                } else {
                    reply = apply(path, JSON.readTree(body));
                    if (failAfterApplying > 0) {
                        failAfterApplying--;
                        reply = error(500, "905", "Payment details are not supported", "internal");
                    }
                    if (key != null && !reply[0].equals("401")) {
                        idempotency.put(key, new String[] {body, reply[0], reply[1]});
                    }
                }
            }
            if (!answerDelay.isZero()) {
                try {
                    Thread.sleep(answerDelay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            byte[] bytes = reply[1].getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(Integer.parseInt(reply[0]), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            } catch (IOException e) {
                // the client gave up; the operation stands
            }
        }
    }

    private String[] apply(String path, JsonNode request) {
        if (!MERCHANT.equals(request.path("merchantAccount").asText())) {
            return error(403, "901", "Invalid Merchant Account", "security");
        }
        if (path.equals("/payments")) {
            return pay(request);
        }
        if (path.equals("/cancels")) {
            return technicalCancel(request);
        }
        Matcher m = Pattern.compile("/payments/([^/]+)/(captures|cancels|refunds)").matcher(path);
        if (!m.matches()) {
            return error(404, "000", "Not found", "validation");
        }
        ObjectNode payment = payments.get(m.group(1));
        if (payment == null) {
            return error(
                    422, "167", "Original pspReference required for this operation", "validation");
        }
        String kind = m.group(2);
        long value =
                request.path("amount")
                        .path("value")
                        .asLong(payment.path("amount").path("value").asLong());
        long authorisedValue = payment.path("amount").path("value").asLong();
        long captured = payment.path("captured").asLong();
        long refunded = payment.path("refunded").asLong();
        if (!payment.path("resultCode").asText().equals("Authorised")
                || payment.path("cancelled").asBoolean()) {
            return error(422, "137", "Invalid amount specified", "validation");
        }
        switch (kind) {
            case "captures" -> {
                if (value > authorisedValue - captured) {
                    return error(422, "137", "Invalid amount specified", "validation");
                }
                payment.put("captured", captured + value);
            }
            case "refunds" -> {
                if (value > captured - refunded) {
                    return error(422, "137", "Invalid amount specified", "validation");
                }
                payment.put("refunded", refunded + value);
            }
            default -> {
                if (captured > 0) {
                    return error(422, "167", "Payment already captured", "validation");
                }
                payment.put("cancelled", true);
            }
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("merchantAccount", MERCHANT);
        answer.put("paymentPspReference", m.group(1));
        answer.put("pspReference", nextPsp());
        answer.put("reference", request.path("reference").asText());
        answer.put("status", "received");
        if (request.has("amount")) {
            answer.set("amount", request.path("amount").deepCopy());
        }
        answer.put("kind", kind);
        modifications.add(answer.deepCopy());
        answer.remove("kind");
        if (!kind.equals("cancels")) {
            unsettled.add(
                    new String[] {
                        kind.equals("captures") ? "Settled" : "Refunded",
                        m.group(1),
                        payment.path("reference").asText(),
                        answer.path("pspReference").asText(),
                        request.path("reference").asText(""),
                        request.path("amount").path("currency").asText(),
                        Long.toString(value),
                        clock.get().toString()
                    });
        }
        ObjectNode item = JSON.createObjectNode();
        item.put("pspReference", answer.path("pspReference").asText());
        item.put("originalReference", m.group(1));
        item.put("merchantAccountCode", MERCHANT);
        item.put("merchantReference", payment.path("reference").asText());
        item.set(
                "amount",
                request.has("amount")
                        ? request.path("amount").deepCopy()
                        : payment.path("amount").deepCopy());
        item.put(
                "eventCode",
                switch (kind) {
                    case "captures" -> "CAPTURE";
                    case "refunds" -> "REFUND";
                    default -> "CANCELLATION";
                });
        item.put("success", "true");
        notify(item);
        return new String[] {"201", answer.toString()};
    }

    /**
     * {@code POST /cancels} by {@code paymentReference}: the authorised, uncaptured payment made
     * under that merchant reference is cancelled; the request is received either way, and {@code
     * TECHNICAL_CANCEL} notified with its success.
     */
    private String[] technicalCancel(JsonNode request) {
        String merchantReference = request.path("paymentReference").asText("");
        ObjectNode payment =
                payments.values().stream()
                        .filter(p -> p.path("reference").asText().equals(merchantReference))
                        .findFirst()
                        .orElse(null);
        boolean cancelled =
                payment != null
                        && payment.path("resultCode").asText().equals("Authorised")
                        && payment.path("captured").asLong() == 0;
        if (cancelled) {
            payment.put("cancelled", true);
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("merchantAccount", MERCHANT);
        answer.put("paymentReference", merchantReference);
        answer.put("pspReference", nextPsp());
        answer.put("reference", request.path("reference").asText());
        answer.put("status", "received");
        ObjectNode kept = answer.deepCopy();
        kept.put("kind", "technical-cancel");
        modifications.add(kept);
        ObjectNode item = JSON.createObjectNode();
        item.put("pspReference", answer.path("pspReference").asText());
        if (payment != null) {
            item.put("originalReference", payment.path("pspReference").asText());
        }
        item.put("merchantAccountCode", MERCHANT);
        item.put("merchantReference", merchantReference);
        item.put("eventCode", "TECHNICAL_CANCEL");
        item.put("success", Boolean.toString(cancelled));
        notify(item);
        return new String[] {"201", answer.toString()};
    }

    private String[] pay(JsonNode request) {
        JsonNode method = request.path("paymentMethod");
        if (!request.has("amount") || !request.has("reference") || method.isMissingNode()) {
            return error(422, "100", "Required field missing", "validation");
        }
        String number =
                method.has("number")
                        ? method.path("number").asText()
                        : method.path("encryptedCardNumber").asText().replaceFirst("^test_", "");
        String[] result;
        String[] byName = HOLDER_NAMES.get(method.path("holderName").asText(""));
        if (byName != null) {
            result = byName;
        } else if (TEST_CARDS.contains(number)) {
            result = new String[] {"Authorised", null, null};
        } else {
            result = new String[] {"Refused", "Invalid Card Number", "8"};
        }
        ObjectNode payment = JSON.createObjectNode();
        String reference = nextPsp();
        payment.put("pspReference", reference);
        payment.put("resultCode", result[0]);
        if (result[1] != null) {
            payment.put("refusalReason", result[1]);
            payment.put("refusalReasonCode", result[2]);
        }
        payment.put("merchantReference", request.path("reference").asText());
        payment.set("amount", request.path("amount").deepCopy());
        ObjectNode stored = payment.deepCopy();
        stored.put("reference", request.path("reference").asText());
        stored.put(
                "manualCapture",
                request.path("additionalData").path("manualCapture").asText().equals("true"));
        payments.put(reference, stored);
        if (result[0].equals("Authorised")) {
            authorised++;
            if (!stored.path("manualCapture").asBoolean()) {
                // captured at once by the account's capture delay: settled without a reference
                unsettled.add(
                        new String[] {
                            "Settled",
                            reference,
                            request.path("reference").asText(),
                            "",
                            "",
                            request.path("amount").path("currency").asText(),
                            request.path("amount").path("value").asText(),
                            clock.get().toString()
                        });
            }
        }
        ObjectNode item = JSON.createObjectNode();
        item.put("pspReference", reference);
        item.put("merchantAccountCode", MERCHANT);
        item.put("merchantReference", request.path("reference").asText());
        item.set("amount", request.path("amount").deepCopy());
        item.put("eventCode", "AUTHORISATION");
        item.put("success", Boolean.toString(result[0].equals("Authorised")));
        if (result[1] != null) {
            item.put("reason", result[1]);
        }
        notify(item);
        return new String[] {"200", payment.toString()};
    }

    private void notify(ObjectNode item) {
        notify(item, null);
    }

    private void notify(ObjectNode item, java.time.Instant at) {
        item.put(
                "eventDate",
                at == null
                        ? "2026-03-01T10:00:00+01:00"
                        : at.atOffset(java.time.ZoneOffset.ofHours(1)).toString());
        ObjectNode additional =
                item.has("additionalData")
                        ? (ObjectNode) item.get("additionalData")
                        : item.putObject("additionalData");
        additional.put("hmacSignature", AdyenHmac.sign(item, HMAC_KEY));
        ObjectNode delivery = JSON.createObjectNode();
        delivery.put("live", "false");
        delivery.putArray("notificationItems").addObject().set("NotificationRequestItem", item);
        notifications.add(delivery);
    }

    private String nextPsp() {
        return Long.toString(psp.incrementAndGet());
    }

    private static String[] error(int status, String code, String message, String type) {
        ObjectNode body = JSON.createObjectNode();
        body.put("status", status);
        body.put("errorCode", code);
        body.put("message", message);
        body.put("errorType", type);
        return new String[] {Integer.toString(status), body.toString()};
    }
}
