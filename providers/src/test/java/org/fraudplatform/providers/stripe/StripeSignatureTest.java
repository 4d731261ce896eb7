package org.fraudplatform.providers.stripe;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class StripeSignatureTest {

    private static final String SECRET = "whsec_test_secret";
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final byte[] PAYLOAD =
            "{\"id\":\"evt_1\",\"type\":\"charge.dispute.created\"}"
                    .getBytes(StandardCharsets.UTF_8);
    private static final Duration TOLERANCE = StripeSignature.TOLERANCE;

    @Test
    void shouldAcceptAPayloadSignedWithTheEndpointsSecret() {
        String header = StripeSignature.header(T0.getEpochSecond(), PAYLOAD, SECRET);

        assertThatCode(
                        () ->
                                StripeSignature.verify(
                                        header, PAYLOAD, SECRET, T0.plusSeconds(30), TOLERANCE))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldMatchTheHmacOfTheTimestampDotPayloadAsStripeDocumentsIt() throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(
                new javax.crypto.spec.SecretKeySpec(
                        SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signedPayload =
                T0.getEpochSecond() + "." + new String(PAYLOAD, StandardCharsets.UTF_8);
        String v1 =
                HexFormat.of()
                        .formatHex(mac.doFinal(signedPayload.getBytes(StandardCharsets.UTF_8)));

        assertThatCode(
                        () ->
                                StripeSignature.verify(
                                        "t=" + T0.getEpochSecond() + ",v1=" + v1 + ",v0=00",
                                        PAYLOAD,
                                        SECRET,
                                        T0,
                                        TOLERANCE))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseAPayloadChangedAfterSigning() {
        String header = StripeSignature.header(T0.getEpochSecond(), PAYLOAD, SECRET);
        byte[] changed =
                "{\"id\":\"evt_1\",\"type\":\"charge.dispute.closed\"}"
                        .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> StripeSignature.verify(header, changed, SECRET, T0, TOLERANCE))
                .isInstanceOf(StripeSignature.Refused.class)
                .hasMessageContaining("no v1 signature matches");
    }

    @Test
    void shouldRefuseASignatureMadeWithAnotherSecret() {
        String header = StripeSignature.header(T0.getEpochSecond(), PAYLOAD, "whsec_other");

        assertThatThrownBy(() -> StripeSignature.verify(header, PAYLOAD, SECRET, T0, TOLERANCE))
                .isInstanceOf(StripeSignature.Refused.class);
    }

    @Test
    void shouldRefuseAnEventSignedMoreThanFiveMinutesAgo() {
        String header = StripeSignature.header(T0.getEpochSecond(), PAYLOAD, SECRET);

        assertThatThrownBy(
                        () ->
                                StripeSignature.verify(
                                        header, PAYLOAD, SECRET, T0.plusSeconds(301), TOLERANCE))
                .isInstanceOf(StripeSignature.Refused.class)
                .hasMessageContaining("301 s");
    }

    @Test
    void shouldAcceptAnEventAtTheEdgeOfTheTolerance() {
        String header = StripeSignature.header(T0.getEpochSecond(), PAYLOAD, SECRET);

        assertThatCode(
                        () ->
                                StripeSignature.verify(
                                        header, PAYLOAD, SECRET, T0.plusSeconds(300), TOLERANCE))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldAcceptWhenAnyOfSeveralSignaturesMatchesWhileASecretIsRolled() {
        String good = StripeSignature.header(T0.getEpochSecond(), PAYLOAD, SECRET);
        String old = StripeSignature.header(T0.getEpochSecond(), PAYLOAD, "whsec_old");
        String header = old + "," + good.substring(good.indexOf("v1="));

        assertThatCode(() -> StripeSignature.verify(header, PAYLOAD, SECRET, T0, TOLERANCE))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseAMissingOrMalformedHeader() {
        assertThatThrownBy(() -> StripeSignature.verify(null, PAYLOAD, SECRET, T0, TOLERANCE))
                .isInstanceOf(StripeSignature.Refused.class);
        assertThatThrownBy(
                        () -> StripeSignature.verify("t=abc,v1=zz", PAYLOAD, SECRET, T0, TOLERANCE))
                .isInstanceOf(StripeSignature.Refused.class);
        assertThatThrownBy(
                        () ->
                                StripeSignature.verify(
                                        "t=" + T0.getEpochSecond(), PAYLOAD, SECRET, T0, TOLERANCE))
                .isInstanceOf(StripeSignature.Refused.class);
    }
}
