package org.fraudplatform.api.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.fraudplatform.api.tokenization.TokenizationKey;
import org.fraudplatform.api.tokenization.Tokenizer;
import org.fraudplatform.providers.AuthorizationCall;
import org.fraudplatform.schemas.Wallet;
import org.fraudplatform.schemas.WalletProvider;
import org.fraudplatform.schemas.money.CurrencyRates;
import org.junit.jupiter.api.Test;

/**
 * A payment method a provider's own script made: what the event, the provider call and the reply
 * carry, and what never leaves the edge.
 */
class EdgeRequestMapperTest {

    private static final Clock NOW =
            Clock.fixed(Instant.parse("2026-03-15T12:00:00Z"), ZoneOffset.UTC);
    private final Tokenizer tokenizer =
            new Tokenizer(
                    TokenizationKey.fromBase64("q0J6m9Yt2p8Vx1cL4sR7wE3uH5iK0oN9bA2dF6gZ8jM="));
    private final EdgeRequestMapper edge =
            new EdgeRequestMapper(
                    tokenizer,
                    NOW,
                    CurrencyRates.packaged(),
                    Map.of("stripe-eu", "stripe", "stripe-us", "stripe"));

    private AcceptedRequest accept(String provider, String token, String fingerprint)
            throws RequestMapper.Rejected {
        String body =
                """
                {"amount": 1500, "currency": "EUR", "payment_method": {"type": "provider_token",
                 "provider_token": {"provider": "%s", "token": "%s"%s}}}
                """
                        .formatted(
                                provider,
                                token,
                                fingerprint == null
                                        ? ""
                                        : ", \"fingerprint\": \"" + fingerprint + "\"");
        return edge.accept("merchant-1", body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldSendTheTokenToItsProviderAndOnlyItsKeyedHashToTheEvent() throws Exception {
        AcceptedRequest accepted = accept("stripe-eu", "pm_1NxSecretish", "Xt5EWLLDS7FJjR1c");

        Wallet wallet = (Wallet) accepted.instrument();
        assertThat(wallet.getProvider()).isEqualTo(WalletProvider.STRIPE);
        assertThat(wallet.getWalletToken())
                .isEqualTo(tokenizer.walletToken("stripe-eu", "pm_1NxSecretish"))
                .doesNotContain("pm_1NxSecretish");
        assertThat(wallet.getCardFingerprint())
                .isEqualTo(tokenizer.providerCardToken("stripe-eu", "Xt5EWLLDS7FJjR1c"))
                .startsWith("pcard_");
        assertThat(accepted.providerMethod())
                .isEqualTo(
                        new AuthorizationCall.ProviderTokenMethod("stripe-eu", "pm_1NxSecretish"));
        assertThat(accepted.paymentMethodView())
                .isEqualTo(
                        Map.of(
                                "type",
                                "provider_token",
                                "provider_token",
                                Map.of("provider", "stripe-eu")));
        assertThat(accepted.requestHash()).doesNotContain("pm_1NxSecretish");
    }

    @Test
    void shouldLinkPaymentsOfOneCardByTheProvidersFingerprintWithinOneProviderOnly()
            throws Exception {
        Wallet first = (Wallet) accept("stripe-eu", "pm_first", "Xt5EWLLDS7FJjR1c").instrument();
        Wallet second = (Wallet) accept("stripe-eu", "pm_second", "Xt5EWLLDS7FJjR1c").instrument();
        Wallet otherAccount =
                (Wallet) accept("stripe-us", "pm_third", "Xt5EWLLDS7FJjR1c").instrument();
        Wallet noFingerprint = (Wallet) accept("stripe-eu", "pm_fourth", null).instrument();

        assertThat(second.getCardFingerprint()).isEqualTo(first.getCardFingerprint());
        assertThat(second.getWalletToken()).isNotEqualTo(first.getWalletToken());
        assertThat(otherAccount.getCardFingerprint()).isNotEqualTo(first.getCardFingerprint());
        assertThat(noFingerprint.getCardFingerprint()).isNull();
    }

    @Test
    void shouldRefuseATokenForAProviderThatIsNotConfiguredHere() {
        RequestMapper.Rejected rejected =
                catchThrowableOfType(
                        RequestMapper.Rejected.class, () -> accept("adyen", "pm_1", null));

        assertThat(rejected).isNotNull();
        assertThat(rejected.problem().status()).isEqualTo(400);
        assertThat(rejected.problem().toString())
                .contains("payment_method.provider_token.provider");
    }
}
