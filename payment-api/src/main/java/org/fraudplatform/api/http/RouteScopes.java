package org.fraudplatform.api.http;

import java.util.Optional;
import java.util.Set;
import org.fraudplatform.api.keys.Scope;

/**
 * The scope each merchant route needs, in one table. A route not in it takes no merchant key (the
 * operators' routes, {@code /health}, {@code /metrics}) or does not exist.
 *
 * <table>
 *   <caption>Routes and scopes</caption>
 *   <tr><td>POST /v1/payments, POST /v1/payments/{id}/capture | void</td><td>payments:write</td></tr>
 *   <tr><td>GET /v1/payments[/{id}[/events | captures | refunds | chargebacks]], GET /v1/balances,
 *       GET /v1/reviews, GET /v1/reconciliation</td><td>payments:read</td></tr>
 *   <tr><td>POST /v1/payments/{id}/refunds</td><td>refunds:write</td></tr>
 *   <tr><td>POST /v1/reviews/{id}/approve | reject, POST /v1/payments/{id}/fraud_reports</td>
 *       <td>reviews:write</td></tr>
 *   <tr><td>every method on /v1/webhook_endpoints[/…], /v1/webhook_deliveries[/…]</td>
 *       <td>webhooks:write</td></tr>
 * </table>
 */
public final class RouteScopes {

    private static final String PAYMENTS = "/v1/payments";
    private static final String REVIEWS = "/v1/reviews";
    private static final Set<String> EVENT_KINDS =
            Set.of("events", "captures", "refunds", "chargebacks");

    private RouteScopes() {}

    /** The scope a request needs, or empty when the route takes no merchant key. */
    public static Optional<Scope> required(String method, String path) {
        boolean get = method.equals("GET");
        boolean post = method.equals("POST");
        if (path.equals(PAYMENTS) || path.equals(PAYMENTS + "/")) {
            return post
                    ? Optional.of(Scope.PAYMENTS_WRITE)
                    : get ? Optional.of(Scope.PAYMENTS_READ) : Optional.empty();
        }
        if (path.startsWith(PAYMENTS + "/")) {
            String[] parts = path.substring(PAYMENTS.length() + 1).split("/", -1);
            if (parts.length == 1) {
                return get ? Optional.of(Scope.PAYMENTS_READ) : Optional.empty();
            }
            if (parts.length != 2) {
                return Optional.empty();
            }
            String sub = parts[1];
            if (get && EVENT_KINDS.contains(sub)) {
                return Optional.of(Scope.PAYMENTS_READ);
            }
            if (!post) {
                return Optional.empty();
            }
            return switch (sub) {
                case "capture", "void" -> Optional.of(Scope.PAYMENTS_WRITE);
                case "refunds" -> Optional.of(Scope.REFUNDS_WRITE);
                case "fraud_reports" -> Optional.of(Scope.REVIEWS_WRITE);
                default -> Optional.empty();
            };
        }
        if (path.equals(REVIEWS)) {
            return get ? Optional.of(Scope.PAYMENTS_READ) : Optional.empty();
        }
        if (path.startsWith(REVIEWS + "/")) {
            String[] parts = path.substring(REVIEWS.length() + 1).split("/", -1);
            return post
                            && parts.length == 2
                            && (parts[1].equals("approve") || parts[1].equals("reject"))
                    ? Optional.of(Scope.REVIEWS_WRITE)
                    : Optional.empty();
        }
        if (path.equals("/v1/balances") || path.equals("/v1/reconciliation")) {
            return get ? Optional.of(Scope.PAYMENTS_READ) : Optional.empty();
        }
        if (path.equals("/v1/webhook_endpoints")
                || path.startsWith("/v1/webhook_endpoints/")
                || path.equals("/v1/webhook_deliveries")
                || path.startsWith("/v1/webhook_deliveries/")) {
            return Optional.of(Scope.WEBHOOKS_WRITE);
        }
        return Optional.empty();
    }
}
