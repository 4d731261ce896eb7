package org.fraudplatform.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.fraudplatform.platform.testing.ApiCalls;
import org.fraudplatform.platform.testing.SharedPlatform;
import org.fraudplatform.runtime.tracing.Tracing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * One trace per payment: a merchant's request that brings a W3C {@code traceparent} is followed
 * through the API, the risk decision, the provider call and the ledger, each a span of the caller's
 * trace, nested as the work was.
 */
@Execution(value = ExecutionMode.SAME_THREAD, reason = SharedPlatform.LANE)
class TracingIT {

    private static final String TRACE_ID = UUID.randomUUID().toString().replace("-", "");
    private static final String CALLER_SPAN = "00f067aa0ba902b7";

    @RegisterExtension static final SharedPlatform shared = new SharedPlatform();

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();

    @AfterEach
    void tracingOff() {
        Tracing.install(Tracing.off());
    }

    @Test
    void shouldFollowAPaymentFromTheCallerThroughRiskTheProviderAndTheLedger() throws Exception {
        Tracing.install(Tracing.exportingTo(spans, "fraud-platform"));
        String card = ApiCalls.freshVisa();

        HttpResponse<String> reply =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(shared.base().resolve("/v1/payments"))
                                        .timeout(Duration.ofSeconds(30))
                                        .header("Authorization", "Bearer " + shared.demoKey())
                                        .header("Idempotency-Key", UUID.randomUUID().toString())
                                        .header("Content-Type", "application/json")
                                        .header(
                                                "traceparent",
                                                "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01")
                                        .POST(
                                                HttpRequest.BodyPublishers.ofString(
                                                        """
                                                        {"amount": 1250, "currency": "EUR",
                                                         "payment_method": {"type": "card",
                                                           "card": {"number": "%s", "exp_month": 12, "exp_year": 2035, "cvc": "123"}},
                                                         "customer": {"id": "cus_trace", "email": "trace@example.com", "ip": "203.0.113.61", "country": "DE"},
                                                         "capture_method": "manual", "reference": "order-traced"}
                                                        """
                                                                .formatted(card)))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(201);
        assertThat(reply.body()).contains("\"authorized\"");

        // the ledger's spans end after the reply: wait for its outcome to be processed
        ApiCalls.await(
                "the ledger's spans of the payment",
                () ->
                        of(TRACE_ID).stream()
                                        .filter(
                                                s ->
                                                        s.getName()
                                                                .equals(
                                                                        "process payments.commands"))
                                        .count()
                                >= 2);
        List<SpanData> trace = of(TRACE_ID);
        Map<String, SpanData> byId =
                trace.stream().collect(Collectors.toMap(SpanData::getSpanId, s -> s, (a, b) -> a));

        SpanData server = only(trace, "POST payments.create");
        assertThat(server.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(server.getParentSpanId()).as("the caller's span").isEqualTo(CALLER_SPAN);

        SpanData decision = only(trace, "process payments.requests");
        assertThat(decision.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(decision.getParentSpanId()).isEqualTo(server.getSpanId());

        SpanData provider = only(trace, "provider authorize");
        assertThat(provider.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(provider.getParentSpanId()).isEqualTo(server.getSpanId());
        assertThat(provider.getAttributes().asMap().toString()).contains("APPROVED");

        List<SpanData> ledger =
                trace.stream()
                        .filter(s -> s.getName().equals("process payments.commands"))
                        .toList();
        assertThat(ledger)
                .as("the intent and the outcome, each applied by the ledger within the trace")
                .allSatisfy(s -> assertThat(s.getParentSpanId()).isEqualTo(server.getSpanId()));
        assertThat(byId).containsKeys(server.getSpanId(), decision.getSpanId());
        assertThat(provider.getStartEpochNanos())
                .as("the provider is asked after the decision")
                .isGreaterThanOrEqualTo(decision.getStartEpochNanos());
    }

    private static SpanData only(List<SpanData> trace, String name) {
        List<SpanData> named = trace.stream().filter(s -> s.getName().equals(name)).toList();
        assertThat(named).as("spans named " + name + " in " + names(trace)).hasSize(1);
        return named.get(0);
    }

    private List<SpanData> of(String traceId) {
        return spans.getFinishedSpanItems().stream()
                .filter(s -> s.getTraceId().equals(traceId))
                .toList();
    }

    private static List<String> names(List<SpanData> trace) {
        return trace.stream().map(SpanData::getName).toList();
    }
}
