package org.fraudplatform.workers.webhooks;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What a merchant's receiver checks on every delivery. */
class WebhookSignatureTest {

    private static final String SECRET = "whsec_test";
    private static final Instant SENT = Instant.parse("2026-03-02T10:00:00Z");
    private static final byte[] BODY =
            "{\"id\":\"evt_1\",\"type\":\"payment.captured\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void aDeliveryVerifiesWithTheEndpointsSecretWithinTheTolerance() {
        String header = WebhookSignature.sign(SECRET, SENT, BODY);

        assertThatCode(
                        () ->
                                WebhookSignature.verify(
                                        SECRET,
                                        header,
                                        BODY,
                                        SENT.plusSeconds(30),
                                        WebhookSignature.DEFAULT_TOLERANCE))
                .doesNotThrowAnyException();
    }

    @Test
    void aChangedBodyOrAnotherSecretDoesNotVerify() {
        String header = WebhookSignature.sign(SECRET, SENT, BODY);
        byte[] changed = "{\"id\":\"evt_1\",\"type\":\"payment.refunded\"}".getBytes();

        assertThatThrownBy(
                        () ->
                                WebhookSignature.verify(
                                        SECRET, header, changed, SENT, Duration.ofMinutes(5)))
                .isInstanceOf(SecurityException.class)
                .hasMessageContaining("does not match");
        assertThatThrownBy(
                        () ->
                                WebhookSignature.verify(
                                        "whsec_other", header, BODY, SENT, Duration.ofMinutes(5)))
                .hasMessageContaining("does not match");
    }

    @Test
    void aReplayedDeliveryIsRefusedOnceItsTimestampIsOutsideTheTolerance() {
        String header = WebhookSignature.sign(SECRET, SENT, BODY);

        assertThatThrownBy(
                        () ->
                                WebhookSignature.verify(
                                        SECRET,
                                        header,
                                        BODY,
                                        SENT.plus(Duration.ofMinutes(6)),
                                        Duration.ofMinutes(5)))
                .isInstanceOf(SecurityException.class)
                .hasMessageContaining("360 s from now");
    }

    @Test
    void aMissingOrMalformedHeaderIsRefusedWithTheReason() {
        assertThatThrownBy(() -> WebhookSignature.verify(SECRET, null, BODY, SENT, Duration.ZERO))
                .hasMessageContaining("no Fraud-Signature header");
        assertThatThrownBy(
                        () ->
                                WebhookSignature.verify(
                                        SECRET, "t=abc,v1=00", BODY, SENT, Duration.ZERO))
                .hasMessageContaining("malformed");
        assertThatThrownBy(() -> WebhookSignature.verify(SECRET, "t=1", BODY, SENT, Duration.ZERO))
                .hasMessageContaining("needs t= and v1=");
    }
}
