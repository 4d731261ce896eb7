package org.fraudplatform.providers.connectors;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.fraudplatform.providers.CircuitBreaker;
import org.fraudplatform.providers.MeteredProvider;
import org.fraudplatform.providers.PaymentProvider;
import org.fraudplatform.providers.ProviderWebhooks;
import org.fraudplatform.providers.RoutingProvider;
import org.fraudplatform.providers.RoutingProvider.MethodKind;
import org.fraudplatform.providers.RoutingProvider.Route;
import org.fraudplatform.providers.WebhookReceipt;
import org.fraudplatform.providers.adyen.AdyenConnector;
import org.fraudplatform.providers.adyen.AdyenNotifications;
import org.fraudplatform.providers.adyen.AdyenSettings;
import org.fraudplatform.providers.adyen.AdyenSettlements;
import org.fraudplatform.providers.http.Secret;
import org.fraudplatform.providers.stripe.StripeConnector;
import org.fraudplatform.providers.stripe.StripeSettings;
import org.fraudplatform.providers.stripe.StripeSettlements;
import org.fraudplatform.providers.stripe.StripeSignature;
import org.fraudplatform.providers.stripe.StripeWebhooks;

/**
 * The providers a platform uses and how payments are routed over them, from a text file:
 *
 * <pre>
 * # comments start with '#'
 * provider.stripe-eu.type           = stripe
 * provider.stripe-eu.secret-key     = env:STRIPE_SECRET_KEY
 * provider.stripe-eu.webhook-secret = file:/run/secrets/stripe-webhook
 * provider.stripe-eu.capture        = manual
 * provider.adyen.type               = adyen
 * provider.adyen.base-uri           = https://checkout-test.adyen.com/v71
 * provider.adyen.api-key            = env:ADYEN_API_KEY
 * provider.adyen.merchant-account   = FraudPlatformECOM
 * provider.adyen.hmac-key           = env:ADYEN_HMAC_KEY
 * provider.adyen.report-user        = report@Company.FraudPlatform
 * provider.adyen.report-password    = env:ADYEN_REPORT_PASSWORD
 *
 * # first match wins: method (card, bank_transfer, wallet or *), currency (or *), optionally the
 * # payer's country (the card's issuing country, the account's, else the billing country; or *),
 * # then the providers in order; route.MERCHANT is a line for that merchant only
 * route.acme-shop = card * -&gt; stripe-eu
 * route = card EUR DE -&gt; adyen, stripe-eu
 * route = card EUR -&gt; stripe-eu, adyen
 * route = bank_transfer * -&gt; simulated-b
 * route = * * -&gt; adyen, simulated-a
 *
 * # when the previous day's settlement is fetched from each connector, UTC (default 04:00)
 * settlement-fetch-at = 04:00
 * </pre>
 *
 * <p>Provider types: {@code stripe} ({@code secret-key}; optional {@code base-uri}, default
 * Stripe's API; {@code webhook-secret}; {@code capture} {@code manual} or {@code automatic}) and
 * {@code adyen} ({@code api-key}, {@code merchant-account}; optional {@code base-uri}, default
 * Adyen's test environment; {@code hmac-key}; {@code capture}; for its settlement reports {@code
 * report-user} and {@code report-password}, or {@code report-api-key}, and {@code report-uri},
 * default {@code https://ca-test.adyen.com/reports/download/MerchantAccount/<merchant account>}).
 * The simulated providers the platform runs anyway ({@code simulated-a}, {@code simulated-b}) may
 * be named in routes. Secrets are {@code env:NAME} or {@code file:PATH}, never inline, and never
 * printed. Without routes, payments go to the configured providers in the order they are declared.
 * The file is checked whole: a mistake is reported as {@code file:line: message} and nothing
 * starts.
 */
public final class ProviderConfig {

    private static final Set<String> STRIPE_KEYS =
            Set.of("type", "base-uri", "secret-key", "webhook-secret", "capture");
    private static final Set<String> ADYEN_KEYS =
            Set.of(
                    "type",
                    "base-uri",
                    "api-key",
                    "merchant-account",
                    "hmac-key",
                    "capture",
                    "report-uri",
                    "report-user",
                    "report-password",
                    "report-api-key");

    /** One provider instance as configured, its secrets still references. */
    record Definition(String name, Map<String, String> fields, Map<String, Integer> lines) {}

    /** One route as configured. */
    record RouteLine(
            MethodKind method,
            String currency,
            String country,
            List<String> providers,
            String merchant,
            int line) {}

    /** When the previous day's settlement is fetched (UTC) unless the file says otherwise. */
    public static final java.time.LocalTime DEFAULT_FETCH_AT = java.time.LocalTime.of(4, 0);

    private final String source;
    private final Map<String, Definition> definitions;
    private final List<RouteLine> routes;
    private final java.time.LocalTime fetchAt;

    private ProviderConfig(
            String source,
            Map<String, Definition> definitions,
            List<RouteLine> routes,
            java.time.LocalTime fetchAt) {
        this.source = source;
        this.definitions = definitions;
        this.routes = routes;
        this.fetchAt = fetchAt;
    }

    /** When the previous day's settlement is fetched, UTC ({@code settlement-fetch-at}). */
    public java.time.LocalTime settlementFetchAt() {
        return fetchAt;
    }

    /** The same configuration, its settlements fetched at {@code time} (UTC) instead. */
    public ProviderConfig withSettlementFetchAt(java.time.LocalTime time) {
        return new ProviderConfig(source, definitions, routes, time);
    }

    /** The configured providers' names, in declaration order. */
    public List<String> providers() {
        return List.copyOf(definitions.keySet());
    }

    /**
     * @throws IllegalArgumentException with {@code file:line: message} when the file is invalid
     */
    public static ProviderConfig read(Path file) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
    }

    static ProviderConfig parse(List<String> lines, String source) {
        Map<String, Definition> definitions = new LinkedHashMap<>();
        List<RouteLine> routes = new ArrayList<>();
        java.time.LocalTime fetchAt = DEFAULT_FETCH_AT;
        for (int i = 0; i < lines.size(); i++) {
            int n = i + 1;
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw problem(source, n, "expected 'key = value'");
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (key.equals("route")) {
                routes.add(route(value, null, source, n));
                continue;
            } else if (key.startsWith("route.")) {
                String merchant = key.substring("route.".length());
                if (!merchant.matches("[A-Za-z0-9_-]{1,64}")) {
                    throw problem(
                            source,
                            n,
                            "'"
                                    + merchant
                                    + "' is no merchant id: route.MERCHANT = METHOD CURRENCY"
                                    + " [COUNTRY] -> providers");
                }
                routes.add(route(value, merchant, source, n));
                continue;
            }
            if (key.equals("settlement-fetch-at")) {
                try {
                    fetchAt = java.time.LocalTime.parse(value);
                } catch (java.time.format.DateTimeParseException e) {
                    throw problem(source, n, "settlement-fetch-at is a time of day, e.g. 04:00");
                }
                continue;
            }
            String[] parts = key.split("\\.");
            if (parts.length != 3 || !parts[0].equals("provider") || parts[1].isEmpty()) {
                throw problem(
                        source,
                        n,
                        "unknown key '" + key + "' (provider.NAME.FIELD, route or route.MERCHANT)");
            }
            Definition d =
                    definitions.computeIfAbsent(
                            parts[1],
                            name ->
                                    new Definition(
                                            name, new LinkedHashMap<>(), new LinkedHashMap<>()));
            if (d.fields().put(parts[2], value) != null) {
                throw problem(source, n, key + " is given twice");
            }
            d.lines().put(parts[2], n);
        }
        for (Definition d : definitions.values()) {
            String type = d.fields().get("type");
            int first = d.lines().values().stream().min(Integer::compare).orElse(0);
            if (type == null) {
                throw problem(source, first, "provider " + d.name() + " has no type");
            }
            Set<String> allowed =
                    switch (type) {
                        case "stripe" -> STRIPE_KEYS;
                        case "adyen" -> ADYEN_KEYS;
                        default ->
                                throw problem(
                                        source,
                                        d.lines().get("type"),
                                        "unknown provider type '" + type + "' (stripe or adyen)");
                    };
            for (String field : d.fields().keySet()) {
                if (!allowed.contains(field)) {
                    throw problem(
                            source,
                            d.lines().get(field),
                            "a " + type + " provider has no field '" + field + "'");
                }
            }
            List<String> required =
                    type.equals("stripe")
                            ? List.of("secret-key")
                            : List.of("api-key", "merchant-account");
            for (String field : required) {
                if (!d.fields().containsKey(field)) {
                    throw problem(source, first, "provider " + d.name() + " needs '" + field + "'");
                }
            }
            String capture = d.fields().getOrDefault("capture", "manual");
            if (!capture.equals("manual") && !capture.equals("automatic")) {
                throw problem(source, d.lines().get("capture"), "capture is manual or automatic");
            }
            boolean user = d.fields().containsKey("report-user");
            boolean password = d.fields().containsKey("report-password");
            boolean reportKey = d.fields().containsKey("report-api-key");
            if (user != password || (user && reportKey)) {
                throw problem(
                        source,
                        d.lines()
                                .get(
                                        reportKey
                                                ? "report-api-key"
                                                : user ? "report-user" : "report-password"),
                        "reports are downloaded with report-user and report-password, or with"
                                + " report-api-key");
            }
            if (d.fields().containsKey("report-uri") && !user && !reportKey) {
                throw problem(
                        source,
                        d.lines().get("report-uri"),
                        "report-uri needs report-user and report-password, or report-api-key");
            }
            for (String field : List.of("base-uri", "report-uri")) {
                String base = d.fields().get(field);
                if (base != null) {
                    try {
                        URI uri = URI.create(base);
                        if (uri.getHost() == null) {
                            throw new IllegalArgumentException();
                        }
                    } catch (IllegalArgumentException e) {
                        throw problem(source, d.lines().get(field), field + " is not a URL");
                    }
                }
            }
        }
        return new ProviderConfig(source, definitions, routes, fetchAt);
    }

    private static RouteLine route(String value, String merchant, String source, int n) {
        int arrow = value.indexOf("->");
        String[] match =
                arrow < 0 ? new String[0] : value.substring(0, arrow).strip().split("\\s+");
        if (arrow < 0 || match.length < 2 || match.length > 3) {
            throw problem(
                    source, n, "a route is 'METHOD CURRENCY [COUNTRY] -> provider, provider'");
        }
        MethodKind method;
        try {
            method =
                    match[0].equals("*")
                            ? null
                            : MethodKind.valueOf(match[0].toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw problem(
                    source,
                    n,
                    "unknown method '" + match[0] + "' (card, bank_transfer, wallet, *)");
        }
        String currency = match[1].equals("*") ? null : match[1].toUpperCase(Locale.ROOT);
        if (currency != null && !currency.matches("[A-Z]{3}")) {
            throw problem(source, n, "'" + match[1] + "' is no ISO 4217 currency code");
        }
        String country =
                match.length < 3 || match[2].equals("*") ? null : match[2].toUpperCase(Locale.ROOT);
        if (country != null && !country.matches("[A-Z]{2}")) {
            throw problem(source, n, "'" + match[2] + "' is no ISO 3166 alpha-2 country code");
        }
        List<String> providers = new ArrayList<>();
        for (String p : value.substring(arrow + 2).split(",")) {
            if (!p.isBlank()) {
                providers.add(p.strip());
            }
        }
        if (providers.isEmpty()) {
            throw problem(source, n, "a route needs a provider");
        }
        return new RouteLine(method, currency, country, providers, merchant, n);
    }

    /** What the configuration builds: the router, the connectors and their webhook receivers. */
    public record Built(
            RoutingProvider router,
            List<PaymentProvider> connectors,
            Map<String, ProviderWebhooks> webhooks,
            List<SettlementFetch.Source> settlements) {}

    /**
     * Builds the connectors and the router.
     *
     * @param builtIn providers the platform runs anyway (the simulated ones), which routes may name
     * @param callTimeout how long a provider may take to answer before the call is {@code UNKNOWN}
     * @param environment where {@code env:NAME} secrets are read
     * @throws IllegalArgumentException naming the line (never a secret) when a secret cannot be
     *     read or a route names a provider that does not exist
     */
    public Built build(
            List<? extends PaymentProvider> builtIn,
            Duration callTimeout,
            Map<String, String> environment,
            Clock clock) {
        return build(builtIn, callTimeout, environment, clock, null);
    }

    /**
     * Builds the connectors and the router, the connectors keeping what must outlive a restart (the
     * settlement reports Adyen announced) in {@code stateDir}, or in memory when it is null.
     */
    public Built build(
            List<? extends PaymentProvider> builtIn,
            Duration callTimeout,
            Map<String, String> environment,
            Clock clock,
            Path stateDir) {
        Duration connect =
                callTimeout.compareTo(Duration.ofSeconds(2)) < 0
                        ? callTimeout
                        : Duration.ofSeconds(2);
        List<PaymentProvider> connectors = new ArrayList<>();
        Map<String, ProviderWebhooks> webhooks = new LinkedHashMap<>();
        List<SettlementFetch.Source> settlements = new ArrayList<>();
        for (Definition d : definitions.values()) {
            Map<String, String> f = d.fields();
            Function<String, Secret> secret =
                    field -> {
                        try {
                            return Secret.from(
                                    "provider." + d.name() + "." + field,
                                    f.get(field),
                                    environment);
                        } catch (RuntimeException e) {
                            throw problem(source, d.lines().get(field), e.getMessage());
                        }
                    };
            boolean manual = f.getOrDefault("capture", "manual").equals("manual");
            if (f.get("type").equals("stripe")) {
                StripeSettings s =
                        new StripeSettings(
                                d.name(),
                                URI.create(
                                        f.getOrDefault(
                                                "base-uri", StripeSettings.PRODUCTION.toString())),
                                secret.apply("secret-key"),
                                f.containsKey("webhook-secret")
                                        ? secret.apply("webhook-secret")
                                        : null,
                                connect,
                                callTimeout,
                                manual
                                        ? StripeSettings.CaptureMethod.MANUAL
                                        : StripeSettings.CaptureMethod.AUTOMATIC);
                StripeConnector connector = new StripeConnector(s);
                connectors.add(connector);
                StripeSettlements stripeSettlements = new StripeSettlements(connector);
                settlements.add(
                        new SettlementFetch.Source() {
                            @Override
                            public String provider() {
                                return d.name();
                            }

                            @Override
                            public CompletableFuture<
                                            List<
                                                    org.fraudplatform.reconciliation.settlement
                                                            .SettlementReportFile.Row>>
                                    fetch(java.time.LocalDate day) {
                                return stripeSettlements
                                        .fetch(day)
                                        .thenApply(StripeSettlements.Day::rows);
                            }
                        });
                if (s.webhookSecret() != null) {
                    StripeWebhooks receiver =
                            new StripeWebhooks(
                                    d.name(),
                                    s.webhookSecret(),
                                    StripeSignature.TOLERANCE,
                                    clock,
                                    connector::paymentIdOf);
                    webhooks.put(d.name(), stripe(d.name(), receiver));
                }
            } else {
                AdyenSettings s =
                        new AdyenSettings(
                                d.name(),
                                URI.create(
                                        f.getOrDefault("base-uri", AdyenSettings.TEST.toString())),
                                secret.apply("api-key"),
                                f.get("merchant-account"),
                                f.containsKey("hmac-key") ? secret.apply("hmac-key") : null,
                                connect,
                                callTimeout,
                                manual);
                AdyenConnector connector = new AdyenConnector(s);
                connectors.add(connector);
                AdyenSettlements adyenSettlements = null;
                if (f.containsKey("report-user") || f.containsKey("report-api-key")) {
                    AdyenSettlements.ReportAccess access;
                    try {
                        access =
                                new AdyenSettlements.ReportAccess(
                                        f.containsKey("report-uri")
                                                ? URI.create(f.get("report-uri"))
                                                : AdyenSettlements.ReportAccess.testBase(
                                                        s.merchantAccount()),
                                        f.get("report-user"),
                                        f.containsKey("report-password")
                                                ? secret.apply("report-password")
                                                : null,
                                        f.containsKey("report-api-key")
                                                ? secret.apply("report-api-key")
                                                : null);
                    } catch (IllegalArgumentException e) {
                        if (e.getMessage().startsWith(source + ":")) {
                            throw e;
                        }
                        throw problem(source, d.lines().get("report-uri"), e.getMessage());
                    }
                    AdyenSettlements reports =
                            new AdyenSettlements(
                                    s,
                                    access,
                                    stateDir == null
                                            ? null
                                            : stateDir.resolve(
                                                    d.name() + "-settlement-reports.txt"));
                    adyenSettlements = reports;
                    settlements.add(
                            new SettlementFetch.Source() {
                                @Override
                                public String provider() {
                                    return d.name();
                                }

                                @Override
                                public CompletableFuture<
                                                List<
                                                        org.fraudplatform.reconciliation.settlement
                                                                .SettlementReportFile.Row>>
                                        fetch(java.time.LocalDate day) {
                                    return reports.fetch(day);
                                }
                            });
                }
                if (s.hmacKey() != null) {
                    webhooks.put(
                            d.name(),
                            adyen(
                                    d.name(),
                                    new AdyenNotifications(
                                            connector, s.hmacKey(), adyenSettlements)));
                }
            }
        }
        // the simulated providers first: asked about a payment the router forgot, they answer
        // from memory, before Stripe is asked (which spends the key of a payment it never saw)
        List<PaymentProvider> all = new ArrayList<>(builtIn);
        all.addAll(connectors);
        Set<String> names = new java.util.HashSet<>();
        all.forEach(p -> names.add(p.name()));
        List<Route> table = new ArrayList<>();
        for (RouteLine r : routes) {
            for (String p : r.providers()) {
                if (!names.contains(p)) {
                    throw problem(source, r.line(), "no provider named '" + p + "'");
                }
            }
            table.add(
                    new Route(r.method(), r.currency(), r.country(), r.providers(), r.merchant()));
        }
        if (table.isEmpty()) {
            table.add(
                    new Route(null, null, connectors.stream().map(PaymentProvider::name).toList()));
        }
        // every call timed and counted by provider, operation and outcome, below the router
        List<PaymentProvider> metered =
                all.stream().map(p -> (PaymentProvider) new MeteredProvider(p)).toList();
        RoutingProvider router =
                new RoutingProvider(metered, table, CircuitBreaker.Settings.DEFAULT, clock);
        return new Built(
                router, List.copyOf(connectors), Map.copyOf(webhooks), List.copyOf(settlements));
    }

    private static ProviderWebhooks stripe(String name, StripeWebhooks receiver) {
        return new ProviderWebhooks() {
            @Override
            public String provider() {
                return name;
            }

            @Override
            public CompletableFuture<List<WebhookReceipt>> receive(
                    Function<String, String> header, byte[] body) {
                return receiver.receive(header.apply("Stripe-Signature"), body).thenApply(List::of);
            }

            @Override
            public void forget(String eventId) {
                receiver.forget(eventId);
            }

            @Override
            public String acknowledgement() {
                return "{\"received\":true}";
            }
        };
    }

    private static ProviderWebhooks adyen(String name, AdyenNotifications receiver) {
        return new ProviderWebhooks() {
            @Override
            public String provider() {
                return name;
            }

            @Override
            public CompletableFuture<List<WebhookReceipt>> receive(
                    Function<String, String> header, byte[] body) {
                return CompletableFuture.completedFuture(receiver.receive(body));
            }

            @Override
            public void forget(String eventId) {
                receiver.forget(eventId);
            }

            @Override
            public String acknowledgement() {
                return AdyenNotifications.ACCEPTED;
            }
        };
    }

    private static IllegalArgumentException problem(String source, Integer line, String message) {
        return new IllegalArgumentException(
                source + ":" + (line == null ? 0 : line) + ": " + message);
    }
}
