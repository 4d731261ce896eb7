package org.fraudplatform.api.http;

import static org.fraudplatform.api.http.Requests.done;
import static org.fraudplatform.api.http.Requests.notAllowed;

import com.sun.net.httpserver.HttpExchange;
import java.util.function.Supplier;

/** {@code GET /v1/balances}: the merchant's money per currency. */
final class BalancesResource implements Resource {

    static final String PATH = "/v1/balances";

    private final Supplier<ApiServer.Lifecycle> lifecycle;
    private final Callers callers;

    BalancesResource(Supplier<ApiServer.Lifecycle> lifecycle, Callers callers) {
        this.lifecycle = lifecycle;
        this.callers = callers;
    }

    @Override
    public boolean owns(String path) {
        return lifecycle.get() != null && path.equals(PATH);
    }

    @Override
    public Routed handle(HttpExchange exchange, String method, String path) {
        ApiServer.Lifecycle routes = lifecycle.get();
        return new Routed(
                "balances",
                method.equals("GET")
                        ? PaymentsResource.merchantGet(callers, exchange, routes::balances)
                        : done(notAllowed(method)));
    }
}
