package org.fraudplatform.api.http;

import com.sun.net.httpserver.HttpExchange;
import java.util.concurrent.CompletableFuture;

/**
 * One resource of the API (payments, reviews, balances, webhooks, …): the paths it owns and how it
 * answers them. {@link ApiServer} does what every request needs (admission, the body, the reply,
 * metrics) and hands the request to the resource that owns its path.
 */
public interface Resource {

    /** Whether this resource answers the path. */
    boolean owns(String path);

    /** Answers a request for a path this resource owns. */
    Routed handle(HttpExchange exchange, String method, String path);

    /**
     * A request's reply and the name of its route, as {@code http_server_requests} tags it.
     *
     * @param route e.g. {@code payments.create}, {@code reviews.decide}
     */
    public record Routed(String route, CompletableFuture<HttpReply> reply) {
        public static Routed of(String route, HttpReply reply) {
            return new Routed(route, CompletableFuture.completedFuture(reply));
        }
    }
}
