package org.fraudplatform.providers;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;
import org.fraudplatform.providers.ProviderResult.Outcome;

/**
 * Routes payments over several providers, with failover and a circuit breaker per provider.
 *
 * <p><b>Authorizations</b> go to the providers of the first {@link Route} that matches the payment
 * method, currency and payer's country, in order. The next provider is tried only when one answers
 * {@code ERROR provider_unavailable}: it certainly did nothing. Any other answer is final: a
 * decline is a decline, and an {@code UNKNOWN} is never sent elsewhere, since the first provider
 * may have authorized and a second would charge twice. A provider whose {@link CircuitBreaker} is
 * open is skipped. A payment id the router has already sent somewhere goes to the same provider
 * again, without failover, so a repeated authorization is answered by the provider that saw it
 * first.
 *
 * <p><b>Follow-ups</b> (capture, void, refund, status) go to the provider that authorized. Results
 * carry that provider's {@link ProviderResult#provider() name} and its own reference, unchanged.
 * The router remembers which provider gave which reference and saw which payment id (the most
 * recent {@value #MEMORY} of each). For one it does not remember, after a restart for instance, it
 * asks its providers in turn: one that does not know the reference answers {@code ERROR
 * unknown_reference} (or {@code NOT_FOUND} for a status) and did nothing, so the next is asked. For
 * a status, one that cannot tell ({@code UNKNOWN}) is passed over too, and is the answer only if no
 * other provider knows the payment.
 *
 * <p>Calls to a provider whose breaker is open are not made; they answer {@code ERROR
 * provider_unavailable} at once.
 */
public final class RoutingProvider implements PaymentProvider {

    /** The router's own name, on the answers it gives itself. */
    public static final String NAME = "router";

    /** How many payment ids and references the router remembers. */
    static final int MEMORY = 100_000;

    /** The kind of instrument a route matches. */
    public enum MethodKind {
        CARD,
        BANK_TRANSFER,
        WALLET;

        static MethodKind of(AuthorizationCall.Method method) {
            if (method instanceof AuthorizationCall.CardMethod) {
                return CARD;
            }
            if (method instanceof AuthorizationCall.BankTransferMethod) {
                return BANK_TRANSFER;
            }
            return WALLET;
        }
    }

    /**
     * One line of the route table.
     *
     * @param method the instrument it matches; null matches any
     * @param currency the ISO 4217 currency it matches; null matches any
     * @param country the payer's country it matches (ISO 3166 alpha-2, {@link
     *     AuthorizationCall#country}); null matches any, a payment of unknown country included
     * @param providers names of the providers to try, in order
     * @param merchant the merchant it is for ({@link AuthorizationCall#merchantId}); null: every
     *     merchant
     */
    public record Route(
            MethodKind method,
            String currency,
            String country,
            List<String> providers,
            String merchant) {

        public Route {
            providers = List.copyOf(providers);
            if (providers.isEmpty()) {
                throw new IllegalArgumentException("a route needs a provider");
            }
            currency = currency == null ? null : currency.toUpperCase(Locale.ROOT);
            country = country == null ? null : country.toUpperCase(Locale.ROOT);
        }

        /** A route for every merchant. */
        public Route(MethodKind method, String currency, String country, List<String> providers) {
            this(method, currency, country, providers, null);
        }

        /** A route for any country and every merchant. */
        public Route(MethodKind method, String currency, List<String> providers) {
            this(method, currency, null, providers);
        }

        public static Route of(MethodKind method, String currency, String... providers) {
            return new Route(method, currency, List.of(providers));
        }

        public boolean matches(AuthorizationCall call) {
            return (merchant == null || merchant.equals(call.merchantId()))
                    && (method == null || method == MethodKind.of(call.method()))
                    && (currency == null || currency.equalsIgnoreCase(call.currency()))
                    && (country == null || country.equals(call.country()));
        }
    }

    private final Map<String, Member> members = new LinkedHashMap<>();
    private final List<Route> routes;
    private final Map<String, String> providerByPaymentId = memory();
    private final Map<String, String> providerByReference = memory();

    /**
     * @param providers the providers, by their distinct names
     * @param routes the route table, first match wins; a payment no route matches fails with {@code
     *     ERROR no_route}
     * @param circuit when a provider's breaker opens, and for how long
     * @param clock the breakers' clock
     */
    public RoutingProvider(
            List<? extends PaymentProvider> providers,
            List<Route> routes,
            CircuitBreaker.Settings circuit,
            Clock clock) {
        for (PaymentProvider provider : providers) {
            if (NAME.equals(provider.name())
                    || members.put(
                                    provider.name(),
                                    new Member(provider, new CircuitBreaker(circuit, clock)))
                            != null) {
                throw new IllegalArgumentException(
                        "provider names must be distinct and not " + NAME + ": " + provider.name());
            }
        }
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a router needs a provider");
        }
        for (Route route : routes) {
            for (String name : route.providers()) {
                if (!members.containsKey(name)) {
                    throw new IllegalArgumentException("route to an unknown provider: " + name);
                }
            }
        }
        this.routes = List.copyOf(routes);
    }

    /**
     * The default table over two providers: bank transfers to {@code b}; EUR cards to {@code a},
     * then {@code b}; everything else to {@code a}, then {@code b}.
     */
    public static List<Route> defaultRoutes(String a, String b) {
        return List.of(
                Route.of(MethodKind.BANK_TRANSFER, null, b),
                Route.of(MethodKind.CARD, "EUR", a, b),
                Route.of(null, null, a, b));
    }

    /** Two providers with the default table, default breakers and the system clock. */
    public static RoutingProvider defaults(PaymentProvider a, PaymentProvider b) {
        return new RoutingProvider(
                List.of(a, b),
                defaultRoutes(a.name(), b.name()),
                CircuitBreaker.Settings.DEFAULT,
                Clock.systemUTC());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, String> providerTokenKinds() {
        Map<String, String> kinds = new LinkedHashMap<>();
        for (Member member : members.values()) {
            kinds.putAll(member.provider.providerTokenKinds());
        }
        return kinds;
    }

    /** The breaker state of the named provider. */
    public CircuitBreaker.State circuit(String providerName) {
        return member(providerName).breaker.state();
    }

    @Override
    public CompletableFuture<ProviderResult> authorize(AuthorizationCall call) {
        String seenBy = providerByPaymentId.get(call.paymentId());
        if (seenBy != null) {
            return call(member(seenBy), p -> p.authorize(call)).thenApply(this::learn);
        }
        if (call.method() instanceof AuthorizationCall.ProviderTokenMethod token) {
            // only the provider that made the token can charge it: no route, no failover
            if (!members.containsKey(token.provider())
                    || !member(token.provider())
                            .provider
                            .providerTokenKinds()
                            .containsKey(token.provider())) {
                return CompletableFuture.completedFuture(
                        ProviderResult.error(
                                NAME,
                                "no_route",
                                "No provider named "
                                        + token.provider()
                                        + " charges its own tokens here"));
            }
            return authorizeOn(call, List.of(token.provider()), 0, call.paymentId());
        }
        for (Route route : routes) {
            if (route.matches(call)) {
                return authorizeOn(call, route.providers(), 0, call.paymentId());
            }
        }
        return CompletableFuture.completedFuture(
                ProviderResult.error(NAME, "no_route", "No provider serves this payment"));
    }

    private CompletableFuture<ProviderResult> authorizeOn(
            AuthorizationCall call, List<String> names, int next, String paymentId) {
        if (next >= names.size()) {
            return CompletableFuture.completedFuture(
                    ProviderResult.unavailable(
                            NAME, "None of the route's providers is available: " + names));
        }
        Member member = member(names.get(next));
        if (!member.breaker.tryAcquire()) {
            return authorizeOn(call, names, next + 1, paymentId);
        }
        return guarded(member, p -> p.authorize(call))
                .thenCompose(
                        result -> {
                            if (result.isUnavailable()) {
                                return authorizeOn(call, names, next + 1, paymentId);
                            }
                            providerByPaymentId.put(paymentId, member.provider.name());
                            return CompletableFuture.completedFuture(learn(result));
                        });
    }

    @Override
    public CompletableFuture<ProviderResult> capture(
            String authorizationReference, long amount, String currency, String operationId) {
        return followUp(
                authorizationReference,
                p -> p.capture(authorizationReference, amount, currency, operationId));
    }

    @Override
    public CompletableFuture<ProviderResult> voidAuthorization(
            String authorizationReference, String operationId) {
        return followUp(
                authorizationReference,
                p -> p.voidAuthorization(authorizationReference, operationId));
    }

    @Override
    public CompletableFuture<ProviderResult> refund(
            String authorizationReference, long amount, String currency, String operationId) {
        return followUp(
                authorizationReference,
                p -> p.refund(authorizationReference, amount, currency, operationId));
    }

    @Override
    public CompletableFuture<ProviderResult> status(String paymentId) {
        String seenBy = paymentId == null ? null : providerByPaymentId.get(paymentId);
        if (seenBy != null) {
            return call(member(seenBy), p -> p.status(paymentId)).thenApply(this::learn);
        }
        return ask(
                        new ArrayList<>(members.values()),
                        0,
                        p -> p.status(paymentId),
                        r -> r.outcome() == Outcome.NOT_FOUND,
                        // a provider that cannot tell (Adyen, which has no lookup by our id) may
                        // be the one that knows, or another may: ask on, and answer with it last
                        r -> r.isUnavailable() || r.outcome() == Outcome.UNKNOWN,
                        null,
                        ProviderResult.notFound(NAME, "No provider saw this payment"))
                .thenApply(
                        result -> {
                            if (result.outcome() != Outcome.NOT_FOUND
                                    && !result.isUnavailable()
                                    && result.outcome() != Outcome.UNKNOWN
                                    && members.containsKey(result.provider())) {
                                providerByPaymentId.put(paymentId, result.provider());
                            }
                            return learn(result);
                        });
    }

    /**
     * Cancels an authorization of unknown outcome at the provider that saw the payment, or, when
     * the router does not remember it, at every provider that cancels by the payment's id (the
     * payment may be at any of them). {@code APPROVED} only when each of them took the cancel; an
     * unavailable or unanswered one is the answer, to be asked again.
     */
    @Override
    public CompletableFuture<ProviderResult> cancelUnknown(String paymentId) {
        String seenBy = providerByPaymentId.get(paymentId);
        List<Member> asked =
                seenBy != null ? List.of(member(seenBy)) : new ArrayList<>(members.values());
        List<CompletableFuture<ProviderResult>> answers = new ArrayList<>();
        for (Member m : asked) {
            answers.add(call(m, p -> p.cancelUnknown(paymentId)));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .thenApply(
                        done -> {
                            ProviderResult took = null;
                            for (CompletableFuture<ProviderResult> a : answers) {
                                ProviderResult r = a.join();
                                if (r.outcome() == Outcome.ERROR
                                        && ProviderResult.NOT_SUPPORTED.equals(r.code())) {
                                    continue;
                                }
                                if (r.outcome() != Outcome.APPROVED) {
                                    return r;
                                }
                                took = took == null ? r : took;
                            }
                            return took != null
                                    ? took
                                    : ProviderResult.error(
                                            NAME,
                                            ProviderResult.NOT_SUPPORTED,
                                            "No provider here cancels an authorization by the"
                                                    + " payment's id");
                        });
    }

    private CompletableFuture<ProviderResult> followUp(
            String reference, Function<PaymentProvider, CompletableFuture<ProviderResult>> op) {
        String owner = reference == null ? null : providerByReference.get(reference);
        if (owner != null) {
            return call(member(owner), op);
        }
        return ask(
                        new ArrayList<>(members.values()),
                        0,
                        op,
                        r ->
                                r.outcome() == Outcome.ERROR
                                        && ProviderResult.UNKNOWN_REFERENCE.equals(r.code()),
                        ProviderResult::isUnavailable,
                        null,
                        ProviderResult.error(
                                NAME,
                                ProviderResult.UNKNOWN_REFERENCE,
                                "No provider knows this reference"))
                .thenApply(
                        result -> {
                            if (reference != null
                                    && members.containsKey(result.provider())
                                    && result.outcome() != Outcome.UNKNOWN
                                    && !result.isUnavailable()
                                    && !ProviderResult.UNKNOWN_REFERENCE.equals(result.code())) {
                                providerByReference.put(reference, result.provider());
                            }
                            return result;
                        });
    }

    /**
     * Asks the providers in turn until one knows the reference or payment. An unavailable provider
     * (or, for a status, one that cannot tell) might be the one that knows: if no other does, its
     * answer is the answer.
     */
    private CompletableFuture<ProviderResult> ask(
            List<Member> candidates,
            int next,
            Function<PaymentProvider, CompletableFuture<ProviderResult>> op,
            Predicate<ProviderResult> doesNotKnow,
            Predicate<ProviderResult> cannotTell,
            ProviderResult unavailable,
            ProviderResult nobodyKnows) {
        if (next >= candidates.size()) {
            return CompletableFuture.completedFuture(
                    unavailable != null ? unavailable : nobodyKnows);
        }
        return call(candidates.get(next), op)
                .thenCompose(
                        result -> {
                            if (cannotTell.test(result)) {
                                return ask(
                                        candidates,
                                        next + 1,
                                        op,
                                        doesNotKnow,
                                        cannotTell,
                                        unavailable != null ? unavailable : result,
                                        nobodyKnows);
                            }
                            if (doesNotKnow.test(result)) {
                                return ask(
                                        candidates,
                                        next + 1,
                                        op,
                                        doesNotKnow,
                                        cannotTell,
                                        unavailable,
                                        nobodyKnows);
                            }
                            return CompletableFuture.completedFuture(result);
                        });
    }

    /** Calls a provider through its breaker; an open breaker answers unavailable at once. */
    private static CompletableFuture<ProviderResult> call(
            Member member, Function<PaymentProvider, CompletableFuture<ProviderResult>> op) {
        if (!member.breaker.tryAcquire()) {
            return CompletableFuture.completedFuture(
                    ProviderResult.unavailable(
                            member.provider.name(), "Circuit open: the provider was not called"));
        }
        return guarded(member, op);
    }

    /** Makes a call the breaker has allowed and tells the breaker how it went. */
    private static CompletableFuture<ProviderResult> guarded(
            Member member, Function<PaymentProvider, CompletableFuture<ProviderResult>> op) {
        CompletableFuture<ProviderResult> future;
        try {
            future = op.apply(member.provider);
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        return future.whenComplete(
                (result, failure) -> {
                    if (failure != null
                            || result.isUnavailable()
                            || result.outcome() == Outcome.UNKNOWN) {
                        member.breaker.failed();
                    } else {
                        member.breaker.succeeded();
                    }
                });
    }

    /** Remembers which provider gave an authorization reference. */
    private ProviderResult learn(ProviderResult result) {
        if (result.reference() != null && members.containsKey(result.provider())) {
            providerByReference.put(result.reference(), result.provider());
        }
        return result;
    }

    private Member member(String name) {
        Member member = members.get(name);
        if (member == null) {
            throw new IllegalArgumentException("no provider named " + name);
        }
        return member;
    }

    private record Member(PaymentProvider provider, CircuitBreaker breaker) {}

    /** A bounded map that forgets the least recently used entries. */
    private static Map<String, String> memory() {
        return Collections.synchronizedMap(
                new LinkedHashMap<String, String>(16, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                        return size() > MEMORY;
                    }
                });
    }
}
