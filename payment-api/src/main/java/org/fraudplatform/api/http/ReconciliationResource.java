package org.fraudplatform.api.http;

import static org.fraudplatform.api.http.Requests.done;
import static org.fraudplatform.api.http.Requests.notAllowed;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.fraudplatform.api.people.Permission;

/**
 * {@code GET /v1/reconciliation}: a day's reconciliation items (a merchant sees its own, a person
 * who may reconcile every merchant's); {@code POST /v1/reconciliation/resolutions}: such a person
 * resolves an exception, audited under their name.
 */
final class ReconciliationResource implements Resource {

    static final String PATH = "/v1/reconciliation";
    static final String RESOLUTIONS = PATH + "/resolutions";

    private final Supplier<ApiServer.Reconciliation> reconciliation;
    private final Callers callers;

    ReconciliationResource(Supplier<ApiServer.Reconciliation> reconciliation, Callers callers) {
        this.reconciliation = reconciliation;
        this.callers = callers;
    }

    @Override
    public boolean owns(String path) {
        return reconciliation.get() != null
                && (path.equals(PATH) || (callers.hasOperators() && path.equals(RESOLUTIONS)));
    }

    @Override
    public Routed handle(HttpExchange exchange, String method, String path) {
        if (path.equals(PATH)) {
            return Routed.of(
                    "reconciliation.items",
                    method.equals("GET") ? items(exchange) : notAllowed(method));
        }
        return new Routed(
                "reconciliation.resolve",
                method.equals("POST") ? resolve(exchange) : done(notAllowed(method)));
    }

    private HttpReply items(HttpExchange exchange) {
        ApiServer.Reconciliation routes = reconciliation.get();
        if (callers.person(exchange).isPresent()) {
            Callers.Staffed person = callers.person(exchange, Permission.RECONCILIATION);
            return person.granted()
                    ? routes.items(null, Requests.query(exchange))
                    : person.refusal();
        }
        Callers.Access merchant = callers.merchant(exchange);
        return merchant.granted()
                ? routes.items(merchant.id(), Requests.query(exchange))
                : merchant.refusal();
    }

    private CompletableFuture<HttpReply> resolve(HttpExchange exchange) {
        Callers.Staffed caller = callers.person(exchange, Permission.RECONCILIATION);
        if (!caller.granted()) {
            return done(caller.refusal());
        }
        try {
            return reconciliation
                    .get()
                    .resolve(caller.person().auditName(), Requests.body(exchange));
        } catch (IOException e) {
            return done(HttpReply.problem(Problem.malformedJson("cannot read the body")));
        }
    }
}
