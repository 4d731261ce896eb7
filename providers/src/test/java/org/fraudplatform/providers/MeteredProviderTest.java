package org.fraudplatform.providers;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MeteredProviderTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private SimulatedProvider simulated;

    @BeforeEach
    void start() {
        Metrics.addRegistry(meters);
        simulated =
                new SimulatedProvider(
                        SimulatedProvider.Settings.of("sim-metered")
                                .withLatency(Duration.ofMillis(20), 0.0)
                                .withSeed(7L));
    }

    @AfterEach
    void stop() throws Exception {
        Metrics.removeRegistry(meters);
        simulated.close();
    }

    @Test
    void shouldTimeEachCallByTheProviderTheOperationAndWhatItAnswered() throws Exception {
        MeteredProvider provider = new MeteredProvider(simulated);

        ProviderResult approved =
                provider.authorize(card("pay_m1", "4242424242424242")).get(5, TimeUnit.SECONDS);
        ProviderResult declined =
                provider.authorize(card("pay_m2", "4000000000000002")).get(5, TimeUnit.SECONDS);
        provider.capture(approved.reference(), 10_00, "EUR", "cap_1").get(5, TimeUnit.SECONDS);

        assertThat(approved.outcome()).isEqualTo(ProviderResult.Outcome.APPROVED);
        assertThat(declined.outcome()).isEqualTo(ProviderResult.Outcome.DECLINED);
        var authorizedTimer =
                meters.get("provider_requests")
                        .tag("provider", "sim-metered")
                        .tag("operation", "authorize")
                        .tag("outcome", "approved")
                        .timer();
        assertThat(authorizedTimer.count()).isEqualTo(1);
        assertThat(authorizedTimer.totalTime(TimeUnit.MILLISECONDS))
                .as("the provider's latency is in the time")
                .isGreaterThanOrEqualTo(15);
        assertThat(
                        meters.get("provider_requests")
                                .tag("operation", "authorize")
                                .tag("outcome", "declined")
                                .timer()
                                .count())
                .isEqualTo(1);
        assertThat(
                        meters.get("provider_requests")
                                .tag("operation", "capture")
                                .tag("outcome", "approved")
                                .timer()
                                .count())
                .isEqualTo(1);
    }

    private static AuthorizationCall card(String paymentId, String number) {
        return new AuthorizationCall(
                paymentId, 10_00, "EUR", new AuthorizationCall.CardMethod(number, 12, 2030));
    }
}
