package org.fraudplatform.providers.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.fraudplatform.providers.SimulatedProvider;
import org.junit.jupiter.api.Test;

class ProviderConfigTest {

    private static final Map<String, String> ENV =
            Map.of(
                    "STRIPE_KEY", "sk_test_abcdef0123456789",
                    "STRIPE_WHSEC", "whsec_0123456789",
                    "ADYEN_KEY", "AQE_secret_key_value",
                    "ADYEN_HMAC",
                            "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056");

    private static final List<String> GOOD =
            List.of(
                    "# two real providers",
                    "provider.stripe-eu.type = stripe",
                    "provider.stripe-eu.secret-key = env:STRIPE_KEY",
                    "provider.stripe-eu.webhook-secret = env:STRIPE_WHSEC",
                    "provider.adyen.type = adyen",
                    "provider.adyen.api-key = env:ADYEN_KEY",
                    "provider.adyen.merchant-account = FraudPlatformECOM",
                    "provider.adyen.hmac-key = env:ADYEN_HMAC",
                    "",
                    "route = card EUR -> stripe-eu, adyen",
                    "route = bank_transfer * -> simulated-b",
                    "route = * * -> adyen");

    @Test
    void shouldBuildEachConfiguredConnectorWithItsWebhooksBehindTheRouter() {
        ProviderConfig.Built built =
                ProviderConfig.parse(GOOD, "providers.conf")
                        .build(simulated(), Duration.ofSeconds(5), ENV, Clock.systemUTC());

        assertThat(built.connectors())
                .extracting(p -> p.name())
                .containsExactly("stripe-eu", "adyen");
        assertThat(built.webhooks()).containsOnlyKeys("stripe-eu", "adyen");
        assertThat(built.router().name()).isEqualTo("router");
    }

    @Test
    void shouldFetchEachStripeConnectorsSettlementAtTheConfiguredTime() {
        List<String> lines = new java.util.ArrayList<>(GOOD);
        lines.add("settlement-fetch-at = 05:30");

        ProviderConfig config = ProviderConfig.parse(lines, "providers.conf");
        ProviderConfig.Built built =
                config.build(simulated(), Duration.ofSeconds(5), ENV, Clock.systemUTC());

        assertThat(config.settlementFetchAt()).isEqualTo(java.time.LocalTime.of(5, 30));
        assertThat(ProviderConfig.parse(GOOD, "f").settlementFetchAt())
                .isEqualTo(ProviderConfig.DEFAULT_FETCH_AT);
        assertThat(built.settlements())
                .extracting(SettlementFetch.Source::provider)
                .containsExactly("stripe-eu");
    }

    @Test
    void shouldFetchAnAdyenConnectorsSettlementWhenItHasReportCredentials() {
        List<String> lines = new java.util.ArrayList<>(GOOD);
        lines.add("provider.adyen.report-user = report@Company.FraudPlatform");
        lines.add("provider.adyen.report-password = env:ADYEN_KEY");

        ProviderConfig.Built built =
                ProviderConfig.parse(lines, "f")
                        .build(simulated(), Duration.ofSeconds(5), ENV, Clock.systemUTC());

        assertThat(built.settlements())
                .extracting(SettlementFetch.Source::provider)
                .containsExactly("stripe-eu", "adyen");
    }

    @Test
    void shouldRefuseAReportUserWithoutItsPasswordOrBesideAReportKey() {
        List<String> adyen =
                List.of(
                        "provider.a.type = adyen",
                        "provider.a.api-key = env:ADYEN_KEY",
                        "provider.a.merchant-account = M");
        List<String> userOnly = new java.util.ArrayList<>(adyen);
        userOnly.add("provider.a.report-user = report@Company.C");
        List<String> both = new java.util.ArrayList<>(userOnly);
        both.add("provider.a.report-password = env:ADYEN_KEY");
        both.add("provider.a.report-api-key = env:ADYEN_KEY");
        List<String> uriOnly = new java.util.ArrayList<>(adyen);
        uriOnly.add("provider.a.report-uri = https://ca-test.adyen.com/reports/download/x");

        assertThatThrownBy(() -> ProviderConfig.parse(userOnly, "f"))
                .hasMessage(
                        "f:4: reports are downloaded with report-user and report-password, or"
                                + " with report-api-key");
        assertThatThrownBy(() -> ProviderConfig.parse(both, "f"))
                .hasMessageStartingWith("f:6: reports are downloaded with");
        assertThatThrownBy(() -> ProviderConfig.parse(uriOnly, "f"))
                .hasMessage(
                        "f:4: report-uri needs report-user and report-password, or"
                                + " report-api-key");
    }

    @Test
    void shouldRefuseAFetchTimeThatIsNoTimeOfDay() {
        assertThatThrownBy(() -> ProviderConfig.parse(List.of("settlement-fetch-at = 4am"), "f"))
                .hasMessage("f:1: settlement-fetch-at is a time of day, e.g. 04:00");
    }

    @Test
    void shouldNameTheLineOfAProviderWithoutItsKey() {
        assertThatThrownBy(
                        () ->
                                ProviderConfig.parse(
                                        List.of("provider.s.type = stripe", "route = * * -> s"),
                                        "providers.conf"))
                .hasMessage("providers.conf:1: provider s needs 'secret-key'");
    }

    @Test
    void shouldRefuseAnUnknownTypeOrField() {
        assertThatThrownBy(() -> ProviderConfig.parse(List.of("provider.p.type = paypal"), "f"))
                .hasMessage("f:1: unknown provider type 'paypal' (stripe or adyen)");
        assertThatThrownBy(
                        () ->
                                ProviderConfig.parse(
                                        List.of(
                                                "provider.s.type = stripe",
                                                "provider.s.secret-key = env:K",
                                                "provider.s.merchant-account = M"),
                                        "f"))
                .hasMessage("f:3: a stripe provider has no field 'merchant-account'");
    }

    @Test
    void shouldRouteByThePayersCountryWhereARouteNamesOne() throws Exception {
        ProviderConfig.Built built =
                ProviderConfig.parse(
                                List.of(
                                        "route = card EUR de -> simulated-b",
                                        "route = card * * -> simulated-a"),
                                "f")
                        .build(simulated(), Duration.ofSeconds(5), ENV, Clock.systemUTC());

        var german = euroCardFrom(built, "pay_de", "DE");
        var french = euroCardFrom(built, "pay_fr", "FR");

        assertThat(german.provider()).isEqualTo("simulated-b");
        assertThat(french.provider()).isEqualTo("simulated-a");
    }

    @Test
    void shouldRouteAMerchantsPaymentsByItsOwnLinesAndEveryOtherMerchantsByTheRest()
            throws Exception {
        ProviderConfig.Built built =
                ProviderConfig.parse(
                                List.of(
                                        "route.acme-shop = card * -> simulated-b",
                                        "route = card * -> simulated-a"),
                                "f")
                        .build(simulated(), Duration.ofSeconds(5), ENV, Clock.systemUTC());

        var acme = euroCardOf(built, "pay_acme", "acme-shop");
        var other = euroCardOf(built, "pay_other", "other-shop");
        var unknown = euroCardOf(built, "pay_unknown", null);

        assertThat(acme.provider()).isEqualTo("simulated-b");
        assertThat(other.provider()).isEqualTo("simulated-a");
        assertThat(unknown.provider()).isEqualTo("simulated-a");
    }

    @Test
    void shouldRefuseARouteForAMerchantIdThatCannotBeOne() {
        assertThatThrownBy(
                        () -> ProviderConfig.parse(List.of("route.acme shop = card * -> a"), "f"))
                .hasMessageStartingWith("f:1: 'acme shop' is no merchant id");
        assertThatThrownBy(() -> ProviderConfig.parse(List.of("route. = card * -> a"), "f"))
                .hasMessageStartingWith("f:1: '' is no merchant id");
    }

    private static org.fraudplatform.providers.ProviderResult euroCardOf(
            ProviderConfig.Built built, String paymentId, String merchant) throws Exception {
        return built.router()
                .authorize(
                        new org.fraudplatform.providers.AuthorizationCall(
                                paymentId,
                                10_00,
                                "EUR",
                                new org.fraudplatform.providers.AuthorizationCall.CardMethod(
                                        "4242424242424242", 12, 2035),
                                null,
                                merchant))
                .get(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** A euro card payment from {@code country}, authorized through the configured router. */
    private static org.fraudplatform.providers.ProviderResult euroCardFrom(
            ProviderConfig.Built built, String paymentId, String country) throws Exception {
        return built.router()
                .authorize(
                        new org.fraudplatform.providers.AuthorizationCall(
                                paymentId,
                                10_00,
                                "EUR",
                                new org.fraudplatform.providers.AuthorizationCall.CardMethod(
                                        "4242424242424242", 12, 2035),
                                country))
                .get(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void shouldRefuseAMalformedRoute() {
        assertThatThrownBy(() -> ProviderConfig.parse(List.of("route = card -> a"), "f"))
                .hasMessage("f:1: a route is 'METHOD CURRENCY [COUNTRY] -> provider, provider'");
        assertThatThrownBy(() -> ProviderConfig.parse(List.of("route = card EUR DE x -> a"), "f"))
                .hasMessage("f:1: a route is 'METHOD CURRENCY [COUNTRY] -> provider, provider'");
        assertThatThrownBy(() -> ProviderConfig.parse(List.of("route = card EUR DEU -> a"), "f"))
                .hasMessage("f:1: 'DEU' is no ISO 3166 alpha-2 country code");
        assertThatThrownBy(() -> ProviderConfig.parse(List.of("route = cash EUR -> a"), "f"))
                .hasMessageContaining("f:1: unknown method 'cash'");
        assertThatThrownBy(() -> ProviderConfig.parse(List.of("route = card EURO -> a"), "f"))
                .hasMessage("f:1: 'EURO' is no ISO 4217 currency code");
    }

    @Test
    void shouldRefuseARouteToAProviderThatDoesNotExist() {
        ProviderConfig config =
                ProviderConfig.parse(
                        List.of(
                                "provider.s.type = stripe",
                                "provider.s.secret-key = env:STRIPE_KEY",
                                "route = card * -> s, adyen"),
                        "f");

        assertThatThrownBy(
                        () ->
                                config.build(
                                        simulated(), Duration.ofSeconds(5), ENV, Clock.systemUTC()))
                .hasMessage("f:3: no provider named 'adyen'");
    }

    @Test
    void shouldRefuseASecretGivenInlineWithoutPrintingIt() {
        ProviderConfig config =
                ProviderConfig.parse(
                        List.of(
                                "provider.s.type = stripe",
                                "provider.s.secret-key = sk_live_inline_secret"),
                        "f");

        assertThatThrownBy(
                        () ->
                                config.build(
                                        simulated(), Duration.ofSeconds(5), ENV, Clock.systemUTC()))
                .hasMessageStartingWith("f:2: provider.s.secret-key must be env:NAME or file:PATH")
                .message()
                .doesNotContain("sk_live_inline_secret");
    }

    @Test
    void shouldNameTheMissingEnvironmentVariableNotAnySecret() {
        ProviderConfig config =
                ProviderConfig.parse(
                        List.of("provider.s.type = stripe", "provider.s.secret-key = env:NOPE"),
                        "f");

        assertThatThrownBy(
                        () ->
                                config.build(
                                        simulated(), Duration.ofSeconds(5), ENV, Clock.systemUTC()))
                .hasMessage("f:2: provider.s.secret-key: the environment variable NOPE is not set");
    }

    @Test
    void shouldRefuseAnAdyenHmacKeyThatIsNotHex() {
        ProviderConfig config =
                ProviderConfig.parse(
                        List.of(
                                "provider.a.type = adyen",
                                "provider.a.api-key = env:ADYEN_KEY",
                                "provider.a.merchant-account = M",
                                "provider.a.hmac-key = env:STRIPE_WHSEC"),
                        "f");

        assertThatThrownBy(
                        () ->
                                config.build(
                                        simulated(), Duration.ofSeconds(5), ENV, Clock.systemUTC()))
                .hasMessageContaining("not hexadecimal")
                .message()
                .doesNotContain("whsec_0123456789");
    }

    private static List<SimulatedProvider> simulated() {
        return List.of(
                new SimulatedProvider(
                        "simulated-a", Duration.ofMillis(1), 0, Duration.ofSeconds(1), 1),
                new SimulatedProvider(
                        "simulated-b", Duration.ofMillis(1), 0, Duration.ofSeconds(1), 2));
    }
}
