package org.fraudplatform.api.http;

import static org.fraudplatform.api.http.Requests.done;
import static org.fraudplatform.api.http.Requests.notAllowed;
import static org.fraudplatform.api.http.Requests.notFound;

import com.sun.net.httpserver.HttpExchange;
import java.util.function.Supplier;

/**
 * {@code /v1/reviews}: the merchant's manual review queue ({@code GET}) and its outcomes ({@code
 * POST /v1/reviews/{id}/approve | reject}, with an Idempotency-Key).
 */
final class ReviewsResource implements Resource {

    static final String PATH = "/v1/reviews";

    private final Supplier<ApiServer.Lifecycle> lifecycle;
    private final Callers callers;

    ReviewsResource(Supplier<ApiServer.Lifecycle> lifecycle, Callers callers) {
        this.lifecycle = lifecycle;
        this.callers = callers;
    }

    @Override
    public boolean owns(String path) {
        return lifecycle.get() != null && (path.equals(PATH) || path.startsWith(PATH + "/"));
    }

    @Override
    public Routed handle(HttpExchange exchange, String method, String path) {
        ApiServer.Lifecycle routes = lifecycle.get();
        if (path.equals(PATH)) {
            return new Routed(
                    "reviews.list",
                    method.equals("GET")
                            ? PaymentsResource.merchantGet(
                                    callers,
                                    exchange,
                                    m -> routes.reviews(m, Requests.query(exchange)))
                            : done(notAllowed(method)));
        }
        String[] parts = path.substring(PATH.length() + 1).split("/", -1);
        return new Routed(
                "reviews.decide",
                parts.length == 2
                                && method.equals("POST")
                                && (parts[1].equals("approve") || parts[1].equals("reject"))
                        ? PaymentsResource.command(callers, routes, exchange, parts[0], parts[1])
                        : done(notFound(path)));
    }
}
