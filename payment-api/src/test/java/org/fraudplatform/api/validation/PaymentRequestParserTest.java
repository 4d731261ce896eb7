package org.fraudplatform.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.fraudplatform.schemas.BankScheme;
import org.fraudplatform.schemas.CaptureMethod;
import org.fraudplatform.schemas.CardBrand;
import org.fraudplatform.schemas.CardFunding;
import org.fraudplatform.schemas.WalletProvider;
import org.junit.jupiter.api.Test;

class PaymentRequestParserTest {

    private static final Clock MARCH_2026 =
            Clock.fixed(Instant.parse("2026-03-15T12:00:00Z"), ZoneOffset.UTC);
    private final PaymentRequestParser parser = new PaymentRequestParser(MARCH_2026);

    private PaymentInput parse(String json) throws Exception {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String card(String number, int month, int year, String cvc) {
        return """
                {"amount": 2500, "currency": "EUR", "payment_method": {"type": "card",
                 "card": {"number": "%s", "exp_month": %d, "exp_year": %d, "cvc": "%s"}}}
                """
                .formatted(number, month, year, cvc);
    }

    private FieldError onlyError(String json) {
        InvalidRequestException e =
                catchThrowableOfType(InvalidRequestException.class, () -> parse(json));
        assertThat(e).as("expected the request to be refused").isNotNull();
        assertThat(e.errors()).hasSize(1);
        return e.errors().get(0);
    }

    @Test
    void shouldAcceptAValidCardPaymentAndDescribeTheCard() throws Exception {
        PaymentInput input = parse(card("4242 4242 4242 4242", 12, 2030, "123"));

        assertThat(input.amount()).isEqualTo(2500);
        assertThat(input.currency()).isEqualTo("EUR");
        assertThat(input.captureMethod()).isEqualTo(CaptureMethod.AUTOMATIC);
        PaymentInput.CardInput card = (PaymentInput.CardInput) input.method();
        assertThat(card.number()).isEqualTo("4242424242424242");
        assertThat(card.brand()).isEqualTo(CardBrand.VISA);
        assertThat(card.funding()).isEqualTo(CardFunding.CREDIT);
        assertThat(card.bin()).isEqualTo("424242");
        assertThat(card.last4()).isEqualTo("4242");
        assertThat(card.toString()).doesNotContain("4242424242424242");
    }

    @Test
    void shouldRefuseACardNumberFailingTheLuhnCheckWithoutEchoingIt() {
        FieldError error = onlyError(card("4242424242424241", 12, 2030, "123"));

        assertThat(error.field()).isEqualTo("payment_method.card.number");
        assertThat(error.message()).contains("check digit").doesNotContain("4242424242424241");
    }

    @Test
    void shouldRefuseACardThatExpiredLastMonth() {
        assertThat(onlyError(card("4242424242424242", 2, 2026, "123")).message())
                .contains("expired");
    }

    @Test
    void shouldAcceptACardExpiringThisMonth() throws Exception {
        assertThat(parse(card("4242424242424242", 3, 2026, "123")).method()).isNotNull();
    }

    @Test
    void shouldRequireFourDigitCvcForAmericanExpressAndThreeOtherwise() throws Exception {
        assertThat(onlyError(card("378282246310005", 12, 2030, "123")).field())
                .isEqualTo("payment_method.card.cvc");
        assertThat(
                        ((PaymentInput.CardInput)
                                        parse(card("378282246310005", 12, 2030, "1234")).method())
                                .brand())
                .isEqualTo(CardBrand.AMEX);
        assertThat(onlyError(card("5555555555554444", 12, 2030, "12")).field())
                .isEqualTo("payment_method.card.cvc");
    }

    @Test
    void shouldRecogniseBrandsAndTheKnownDebitAndPrepaidBins() throws Exception {
        assertThat(CardNumbers.brand("5555555555554444")).isEqualTo(CardBrand.MASTERCARD);
        assertThat(CardNumbers.brand("2223003122003222")).isEqualTo(CardBrand.MASTERCARD);
        assertThat(CardNumbers.brand("6011111111111117")).isEqualTo(CardBrand.DISCOVER);
        assertThat(CardNumbers.brand("3566002020360505")).isEqualTo(CardBrand.JCB);
        assertThat(CardNumbers.funding("4000056655665556")).isEqualTo(CardFunding.DEBIT);
        assertThat(CardNumbers.funding("5105105105105100")).isEqualTo(CardFunding.PREPAID);
    }

    @Test
    void shouldAcceptAValidIbanAndDeriveCountryBankAndScheme() throws Exception {
        PaymentInput input =
                parse(
                        """
                        {"amount": 100, "currency": "EUR",
                         "payment_method": {"type": "bank_transfer", "bank_transfer": {"iban": "DE89 3704 0044 0532 0130 00"}}}
                        """);

        PaymentInput.BankTransferInput bank = (PaymentInput.BankTransferInput) input.method();
        assertThat(bank.iban()).isEqualTo("DE89370400440532013000");
        assertThat(bank.country()).isEqualTo("DE");
        assertThat(bank.bankCode()).isEqualTo("37040044");
        assertThat(bank.scheme()).isEqualTo(BankScheme.SEPA);
    }

    @Test
    void shouldRefuseAnIbanWithWrongCheckDigits() {
        FieldError error =
                onlyError(
                        """
                        {"amount": 100, "currency": "EUR",
                         "payment_method": {"type": "bank_transfer", "bank_transfer": {"iban": "DE88370400440532013000"}}}
                        """);

        assertThat(error.field()).isEqualTo("payment_method.bank_transfer.iban");
        assertThat(error.message()).contains("check digits");
    }

    @Test
    void shouldAcceptAWalletPayment() throws Exception {
        PaymentInput input =
                parse(
                        """
                        {"amount": 100, "currency": "USD",
                         "payment_method": {"type": "wallet", "wallet": {"provider": "apple_pay", "token": "tok-apple-1"}}}
                        """);

        assertThat(((PaymentInput.WalletInput) input.method()).provider())
                .isEqualTo(WalletProvider.APPLE_PAY);
    }

    private final PaymentRequestParser withStripe =
            new PaymentRequestParser(
                    MARCH_2026,
                    PaymentRequestParser.DEFAULT_AMOUNT_LIMIT,
                    org.fraudplatform.schemas.money.CurrencyRates.packaged(),
                    java.util.Map.of("stripe-eu", "stripe", "adyen", "adyen"));

    private static byte[] providerToken(String fields) {
        return ("{\"amount\": 100, \"currency\": \"EUR\", \"payment_method\": {\"type\":"
                        + " \"provider_token\", \"provider_token\": {"
                        + fields
                        + "}}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private FieldError onlyProviderTokenError(PaymentRequestParser parser, String fields) {
        InvalidRequestException e =
                catchThrowableOfType(
                        InvalidRequestException.class, () -> parser.parse(providerToken(fields)));
        assertThat(e).as("expected the request to be refused").isNotNull();
        assertThat(e.errors()).hasSize(1);
        return e.errors().get(0);
    }

    @Test
    void shouldAcceptAProviderTokenNamingAConfiguredProviderThatChargesItsOwnTokens()
            throws Exception {
        PaymentInput stripe =
                withStripe.parse(
                        providerToken(
                                "\"provider\": \"stripe-eu\", \"token\": \"pm_1Nx\","
                                        + " \"fingerprint\": \"Xt5EWLLDS7FJjR1c\""));
        PaymentInput adyen =
                withStripe.parse(
                        providerToken(
                                "\"provider\": \"adyen\", \"token\":"
                                        + " \"{\\\"type\\\":\\\"scheme\\\"}\""));

        PaymentInput.ProviderTokenInput token = (PaymentInput.ProviderTokenInput) stripe.method();
        assertThat(token.provider()).isEqualTo("stripe-eu");
        assertThat(token.kind()).isEqualTo(WalletProvider.STRIPE);
        assertThat(token.token()).isEqualTo("pm_1Nx");
        assertThat(token.fingerprint()).isEqualTo("Xt5EWLLDS7FJjR1c");
        assertThat(token.toString()).doesNotContain("pm_1Nx");
        PaymentInput.ProviderTokenInput adyenToken =
                (PaymentInput.ProviderTokenInput) adyen.method();
        assertThat(adyenToken.kind()).isEqualTo(WalletProvider.ADYEN);
        assertThat(adyenToken.token()).isEqualTo("{\"type\":\"scheme\"}");
        assertThat(adyenToken.fingerprint()).isNull();
    }

    @Test
    void shouldRefuseAProviderTokenOfAProviderThatIsNotConfiguredOrTakesNoTokens() {
        FieldError unknown =
                onlyProviderTokenError(
                        withStripe, "\"provider\": \"simulated-a\", \"token\": \"pm_1\"");
        FieldError none =
                onlyProviderTokenError(parser, "\"provider\": \"stripe\", \"token\": \"pm_1\"");

        assertThat(unknown.field()).isEqualTo("payment_method.provider_token.provider");
        assertThat(unknown.message()).contains("adyen, stripe-eu");
        assertThat(none.field()).isEqualTo("payment_method.provider_token.provider");
        assertThat(none.message()).contains("no configured provider charges its own tokens");
    }

    @Test
    void shouldRefuseAProviderTokenThatHoldsACardNumberOrIsMissingWithoutRepeatingIt() {
        FieldError withNumber =
                onlyProviderTokenError(
                        withStripe,
                        "\"provider\": \"adyen\", \"token\": \"test_4111111145551142\"");
        FieldError missing = onlyProviderTokenError(withStripe, "\"provider\": \"adyen\"");
        FieldError badFingerprint =
                onlyProviderTokenError(
                        withStripe,
                        "\"provider\": \"stripe-eu\", \"token\": \"pm_1\","
                                + " \"fingerprint\": \"a b\"");
        FieldError unknownField =
                onlyProviderTokenError(
                        withStripe,
                        "\"provider\": \"stripe-eu\", \"token\": \"pm_1\", \"number\":" + " \"4\"");

        assertThat(withNumber.field()).isEqualTo("payment_method.provider_token.token");
        assertThat(withNumber.message()).doesNotContain("4111111145551142");
        assertThat(missing.field()).isEqualTo("payment_method.provider_token.token");
        assertThat(badFingerprint.field()).isEqualTo("payment_method.provider_token.fingerprint");
        assertThat(unknownField.field()).isEqualTo("payment_method.provider_token.number");
    }

    @Test
    void shouldRefuseAmountsThatAreNotPositiveIntegersWithinTheLimit() {
        assertThat(
                        onlyError(
                                        "{\"amount\": 0, \"currency\": \"EUR\", \"payment_method\": {\"type\": \"wallet\", \"wallet\": {\"provider\": \"paypal\", \"token\": \"t\"}}}")
                                .field())
                .isEqualTo("amount");
        assertThat(
                        onlyError(
                                        "{\"amount\": 25.5, \"currency\": \"EUR\", \"payment_method\": {\"type\": \"wallet\", \"wallet\": {\"provider\": \"paypal\", \"token\": \"t\"}}}")
                                .message())
                .contains("integer");
        assertThat(
                        onlyError(
                                        "{\"amount\": \"2500\", \"currency\": \"EUR\", \"payment_method\": {\"type\": \"wallet\", \"wallet\": {\"provider\": \"paypal\", \"token\": \"t\"}}}")
                                .field())
                .isEqualTo("amount");
        assertThat(
                        onlyError(
                                        "{\"amount\": 100000000001, \"currency\": \"EUR\", \"payment_method\": {\"type\": \"wallet\", \"wallet\": {\"provider\": \"paypal\", \"token\": \"t\"}}}")
                                .message())
                .contains("at most");
    }

    @Test
    void shouldRefuseAnUnknownCurrency() {
        assertThat(
                        onlyError(
                                        "{\"amount\": 1, \"currency\": \"EUX\", \"payment_method\": {\"type\": \"wallet\", \"wallet\": {\"provider\": \"paypal\", \"token\": \"t\"}}}")
                                .field())
                .isEqualTo("currency");
    }

    @Test
    void shouldRefuseACurrencyTheRateTableCannotConvert() {
        // MNT is ISO 4217, but the packaged rate table has no rate for it: no rule could judge it
        FieldError error =
                onlyError(
                        "{\"amount\": 1, \"currency\": \"MNT\", \"payment_method\": {\"type\": \"wallet\", \"wallet\": {\"provider\": \"paypal\", \"token\": \"t\"}}}");

        assertThat(error.field()).isEqualTo("currency");
        assertThat(error.message())
                .isEqualTo("is not accepted: the platform has no exchange rate for MNT");
    }

    @Test
    void shouldAcceptCurrenciesWithoutOrWithThreeDecimals() throws Exception {
        for (String code : List.of("JPY", "KWD")) {
            assertThat(
                            parse(
                                            "{\"amount\": 1, \"currency\": \""
                                                    + code
                                                    + "\", \"payment_method\": {\"type\": \"wallet\", \"wallet\": {\"provider\": \"paypal\", \"token\": \"t\"}}}")
                                    .currency())
                    .isEqualTo(code);
        }
    }

    @Test
    void shouldCheckTheCustomersEmailIpAndCountry() {
        InvalidRequestException e =
                catchThrowableOfType(
                        InvalidRequestException.class,
                        () ->
                                parse(
                                        """
                                        {"amount": 1, "currency": "EUR",
                                         "payment_method": {"type": "wallet", "wallet": {"provider": "paypal", "token": "t"}},
                                         "customer": {"email": "not-an-email", "ip": "example.com", "country": "XX"}}
                                        """));

        assertThat(e.errors())
                .extracting(FieldError::field)
                .containsExactlyInAnyOrder("customer.email", "customer.ip", "customer.country");
    }

    @Test
    void shouldKeepTheCustomersPhoneAndLocaleAndRefuseMalformedOnes() throws Exception {
        String wallet =
                """
                {"amount": 1, "currency": "EUR",
                 "payment_method": {"type": "wallet", "wallet": {"provider": "paypal", "token": "t"}},
                 "customer": %s}
                """;
        PaymentInput input =
                parse(wallet.formatted("{\"phone\": \"+4915112345678\", \"locale\": \"de-DE\"}"));
        InvalidRequestException e =
                catchThrowableOfType(
                        InvalidRequestException.class,
                        () ->
                                parse(
                                        wallet.formatted(
                                                "{\"phone\": \"0151 123\", \"locale\": \"german\"}")));

        assertThat(input.customer().phone()).isEqualTo("+4915112345678");
        assertThat(input.customer().locale()).isEqualTo("de-DE");
        assertThat(e.errors())
                .extracting(FieldError::field)
                .containsExactlyInAnyOrder("customer.phone", "customer.locale");
    }

    @Test
    void shouldAcceptIpv4AndIpv6LiteralsOnly() {
        assertThat(PaymentRequestParser.isIpLiteral("203.0.113.7")).isTrue();
        assertThat(PaymentRequestParser.isIpLiteral("2001:db8::1")).isTrue();
        assertThat(PaymentRequestParser.isIpLiteral("256.1.1.1")).isFalse();
        assertThat(PaymentRequestParser.isIpLiteral("localhost")).isFalse();
    }

    @Test
    void shouldRefuseControlCharactersInAnyTextNamingTheField() {
        // a NUL would stop every projection that stores the id; a bell has no place in one either
        String nul =
                """
                {"amount": 2500, "currency": "EUR", "customer": {"id": "cus\\u00001"},
                 "payment_method": {"type": "card", "card": {"number": "4242424242424242",
                 "exp_month": 12, "exp_year": 2030, "cvc": "123"}}}
                """;
        String bell = nul.replace("\\u0000", "\\u0007");
        String reference =
                card("4242424242424242", 12, 2030, "123")
                        .replace("{\"amount\"", "{\"reference\": \"order\\n42\", \"amount\"");

        assertThat(onlyError(nul).field()).isEqualTo("customer.id");
        assertThat(onlyError(nul).message()).isEqualTo("must not contain control characters");
        assertThat(onlyError(bell).field()).isEqualTo("customer.id");
        assertThat(onlyError(reference).field()).isEqualTo("reference");
    }

    /** A valid card payment with {@code extra} (JSON members) added at the top. */
    private static String cardPaymentWith(String extra) {
        return card("4242424242424242", 12, 2030, "123")
                .replace("{\"amount\"", "{" + extra + ", \"amount\"");
    }

    @Test
    void shouldRefuseACardNumberInTheReferenceNamingTheField() {
        FieldError error =
                onlyError(cardPaymentWith("\"reference\": \"order for 4111 1111 1111 1111\""));

        assertThat(error.field()).isEqualTo("reference");
        assertThat(error.message())
                .isEqualTo(
                        "must not contain a card number (13 to 19 digits that pass the Luhn check)")
                .doesNotContain("4111");
    }

    @Test
    void shouldRefuseACardNumberWrittenWithAnySeparatorsInTheReference() {
        for (String written :
                List.of(
                        "4111.1111.1111.1111",
                        "4111/1111/1111/1111",
                        "4111_1111_1111_1111",
                        "4111 1111-1111.1111",
                        "card=4111111111111111;")) {
            assertThat(onlyError(cardPaymentWith("\"reference\": \"" + written + "\"")).field())
                    .as(written)
                    .isEqualTo("reference");
        }
    }

    @Test
    void shouldTakeTheCustomersIdsAsIdentifiersNotFreeText() throws Exception {
        // a 19-digit time-ordered id that happens to pass Luhn, as one id in ten does
        PaymentInput input =
                parse(cardPaymentWith("\"customer\": {\"id\": \"1812345678901234561\"}"));

        assertThat(input.customer().id()).isEqualTo("1812345678901234561");
    }

    @Test
    void shouldAcceptOrderIdsAndTimestampsThatFailTheLuhnCheck() throws Exception {
        PaymentInput input =
                parse(
                        cardPaymentWith(
                                "\"reference\": \"order 4111111111111112 at 1732486712345\""));

        assertThat(input.reference()).isEqualTo("order 4111111111111112 at 1732486712345");
    }

    @Test
    void shouldAcceptAPhoneNumberThatPassesTheLuhnCheck() throws Exception {
        // +49 1511 2345678 passes Luhn: a phone number is checked as one, it is no free text
        PaymentInput input =
                parse(cardPaymentWith("\"customer\": {\"phone\": \"+4915112345678\"}"));

        assertThat(input.customer().phone()).isEqualTo("+4915112345678");
    }

    @Test
    void shouldRefuseAMisspeltFieldRatherThanIgnoreIt() {
        InvalidRequestException e =
                catchThrowableOfType(
                        InvalidRequestException.class,
                        () ->
                                parse(
                                        "{\"ammount\": 1, \"currency\": \"EUR\", \"payment_method\": {\"type\": \"wallet\", \"wallet\": {\"provider\": \"paypal\", \"token\": \"t\"}}}"));

        assertThat(e.errors()).extracting(FieldError::field).contains("ammount", "amount");
    }

    @Test
    void shouldReportBrokenJsonWithItsPositionAndWithoutDigitsFromTheBody() {
        assertThatThrownBy(() -> parse("{\"amount\": 10, \"x\": 4242424242424242abc"))
                .isInstanceOf(MalformedJsonException.class)
                .hasMessageContaining("line 1")
                .hasMessageNotContaining("4242424242424242");
        assertThatThrownBy(() -> parse("[1, 2]")).isInstanceOf(MalformedJsonException.class);
    }
}
