package org.fraudplatform.providers.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One HTTP exchange with a provider, sorted into what the money logic needs to know: did the
 * provider answer, could it not have received the request at all, or may it have received it and we
 * do not know what it did.
 */
public sealed interface Exchange {

    /** The provider answered with this status and body. */
    record Answered(int status, String body) implements Exchange {}

    /**
     * The request never reached the provider (connection refused, connect timeout, unknown host):
     * it certainly did nothing.
     */
    record NotSent(String reason) implements Exchange {}

    /**
     * The request may have reached the provider, but no answer came (read timeout, connection reset
     * after sending): it may have done the operation.
     */
    record Unanswered(String reason) implements Exchange {}

    /** Sends the request and never completes exceptionally. */
    static CompletableFuture<Exchange> send(HttpClient client, HttpRequest request) {
        CompletableFuture<HttpResponse<String>> sent;
        try {
            sent = client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(new NotSent(e.toString()));
        }
        return sent.handle(
                (response, failure) -> {
                    if (failure == null) {
                        return new Answered(response.statusCode(), response.body());
                    }
                    return classify(failure);
                });
    }

    /** Which of the two failures a client exception is. */
    static Exchange classify(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof HttpConnectTimeoutException
                    || t instanceof ConnectException
                    || t instanceof UnknownHostException
                    || t instanceof UnresolvedAddressException) {
                return new NotSent(t.getClass().getSimpleName());
            }
        }
        if (cause instanceof HttpTimeoutException) {
            return new Unanswered("no answer within the call timeout");
        }
        if (cause instanceof IOException) {
            return new Unanswered(
                    "connection failed after the request was sent: "
                            + cause.getClass().getSimpleName());
        }
        return new Unanswered(cause.getClass().getSimpleName());
    }
}
