package org.fraudplatform.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.fraudplatform.api.keys.Scope;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteScopesTest {

    @ParameterizedTest(name = "{0} {1} needs {2}")
    @CsvSource({
        "POST, /v1/payments, payments:write",
        "POST, /v1/payments/, payments:write",
        "POST, /v1/payments/pay_1/capture, payments:write",
        "POST, /v1/payments/pay_1/void, payments:write",
        "GET, /v1/payments, payments:read",
        "GET, /v1/payments/pay_1, payments:read",
        "GET, /v1/payments/pay_1/events, payments:read",
        "GET, /v1/payments/pay_1/captures, payments:read",
        "GET, /v1/payments/pay_1/refunds, payments:read",
        "GET, /v1/payments/pay_1/chargebacks, payments:read",
        "GET, /v1/balances, payments:read",
        "GET, /v1/reviews, payments:read",
        "GET, /v1/reconciliation, payments:read",
        "POST, /v1/payments/pay_1/refunds, refunds:write",
        "POST, /v1/payments/pay_1/fraud_reports, reviews:write",
        "POST, /v1/reviews/pay_1/approve, reviews:write",
        "POST, /v1/reviews/pay_1/reject, reviews:write",
        "GET, /v1/webhook_endpoints, webhooks:write",
        "POST, /v1/webhook_endpoints, webhooks:write",
        "DELETE, /v1/webhook_endpoints/we_1, webhooks:write",
        "GET, /v1/webhook_deliveries, webhooks:write",
        "POST, /v1/webhook_deliveries/wd_1/resend, webhooks:write",
    })
    void shouldDeclareTheScopeOfEveryMerchantRoute(String method, String path, String scope) {
        assertThat(RouteScopes.required(method, path)).hasValue(Scope.of(scope));
    }

    @ParameterizedTest(name = "{0} {1} takes no merchant key")
    @CsvSource({
        "GET, /health",
        "GET, /metrics",
        "GET, /v1/lists",
        "POST, /v1/lists/blocked_ips",
        "POST, /v1/provider-notifications",
        "POST, /v1/reconciliation/resolutions",
        "PUT, /v1/payments",
        "DELETE, /v1/payments/pay_1",
        "POST, /v1/payments/pay_1/unknown",
        "POST, /v1/reviews/pay_1/maybe",
        "GET, /v1/nothing",
    })
    void shouldDeclareNoScopeForOperatorRoutesAndRoutesThatDoNotExist(String method, String path) {
        assertThat(RouteScopes.required(method, path)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "payments:write",
        "payments:read",
        "refunds:write",
        "reviews:write",
        "webhooks:write"
    })
    void shouldReadEveryScopeByItsName(String name) {
        assertThat(Scope.of(name).wireName()).isEqualTo(name);
    }

    @org.junit.jupiter.api.Test
    void shouldRefuseAnUnknownScopeNamingTheScopesThereAre() {
        assertThatThrownBy(() -> Scope.parse("payments:write,payments:delete"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("payments:delete")
                .hasMessageContaining("refunds:write");
        assertThat(Scope.parse("refunds:write, payments:read"))
                .containsExactlyInAnyOrder(Scope.REFUNDS_WRITE, Scope.PAYMENTS_READ);
    }
}
