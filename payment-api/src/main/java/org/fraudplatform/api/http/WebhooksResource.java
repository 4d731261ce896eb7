package org.fraudplatform.api.http;

import static org.fraudplatform.api.http.Requests.notAllowed;
import static org.fraudplatform.api.http.Requests.notFound;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * {@code /v1/webhook_endpoints} (create, list, delete) and {@code /v1/webhook_deliveries} (list,
 * {@code POST …/{id}/resend}): a merchant's webhooks.
 */
final class WebhooksResource implements Resource {

    static final String ENDPOINTS = "/v1/webhook_endpoints";
    static final String DELIVERIES = "/v1/webhook_deliveries";

    private final Supplier<ApiServer.Webhooks> webhooks;
    private final Callers callers;

    WebhooksResource(Supplier<ApiServer.Webhooks> webhooks, Callers callers) {
        this.webhooks = webhooks;
        this.callers = callers;
    }

    @Override
    public boolean owns(String path) {
        return webhooks.get() != null
                && (path.equals(ENDPOINTS)
                        || path.startsWith(ENDPOINTS + "/")
                        || path.equals(DELIVERIES)
                        || path.startsWith(DELIVERIES + "/"));
    }

    @Override
    public Routed handle(HttpExchange exchange, String method, String path) {
        String route = path.startsWith(ENDPOINTS) ? "webhooks.endpoints" : "webhooks.deliveries";
        try {
            return Routed.of(route, answer(exchange, method, path));
        } catch (IOException e) {
            return Routed.of(
                    route, HttpReply.problem(Problem.malformedJson("cannot read the body")));
        }
    }

    private HttpReply answer(HttpExchange exchange, String method, String path) throws IOException {
        Callers.Access merchant = callers.merchant(exchange);
        if (!merchant.granted()) {
            return merchant.refusal();
        }
        ApiServer.Webhooks routes = webhooks.get();
        String m = merchant.id();
        if (path.equals(ENDPOINTS)) {
            return switch (method) {
                case "GET" -> routes.endpoints(m);
                case "POST" -> routes.createEndpoint(m, Requests.body(exchange));
                default -> notAllowed(method);
            };
        }
        if (path.startsWith(ENDPOINTS + "/")) {
            String id = path.substring(ENDPOINTS.length() + 1);
            return method.equals("DELETE") ? routes.deleteEndpoint(m, id) : notAllowed(method);
        }
        if (path.equals(DELIVERIES)) {
            return method.equals("GET")
                    ? routes.deliveries(m, Requests.query(exchange))
                    : notAllowed(method);
        }
        String rest = path.substring(DELIVERIES.length() + 1);
        if (rest.endsWith("/resend")) {
            String id = rest.substring(0, rest.length() - "/resend".length());
            return method.equals("POST") ? routes.resend(m, id) : notAllowed(method);
        }
        return notFound(path);
    }
}
