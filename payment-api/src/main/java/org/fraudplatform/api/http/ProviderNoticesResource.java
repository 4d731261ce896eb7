package org.fraudplatform.api.http;

import static org.fraudplatform.api.http.Requests.done;
import static org.fraudplatform.api.http.Requests.notAllowed;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.fraudplatform.api.people.Permission;

/**
 * {@code POST /v1/provider-notifications}: chargebacks, their outcomes and late answers from
 * payment providers, relayed by an administrator ({@link Permission#PROVIDER_NOTICES}) and audited
 * under their name.
 */
final class ProviderNoticesResource implements Resource {

    static final String PATH = "/v1/provider-notifications";

    private final Supplier<ApiServer.Lifecycle> lifecycle;
    private final Callers callers;

    ProviderNoticesResource(Supplier<ApiServer.Lifecycle> lifecycle, Callers callers) {
        this.lifecycle = lifecycle;
        this.callers = callers;
    }

    @Override
    public boolean owns(String path) {
        return lifecycle.get() != null && callers.hasOperators() && path.equals(PATH);
    }

    @Override
    public Routed handle(HttpExchange exchange, String method, String path) {
        return new Routed(
                "provider.notices",
                method.equals("POST") ? notice(exchange) : done(notAllowed(method)));
    }

    private CompletableFuture<HttpReply> notice(HttpExchange exchange) {
        Callers.Staffed caller = callers.person(exchange, Permission.PROVIDER_NOTICES);
        if (!caller.granted()) {
            return done(caller.refusal());
        }
        try {
            return lifecycle
                    .get()
                    .providerNotice(caller.person().auditName(), Requests.body(exchange));
        } catch (IOException e) {
            return done(
                    HttpReply.problem(
                            Problem.malformedJson("cannot read the body: " + e.getMessage())));
        }
    }
}
