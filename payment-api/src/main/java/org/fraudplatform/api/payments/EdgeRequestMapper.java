package org.fraudplatform.api.payments;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fraudplatform.api.http.Problem;
import org.fraudplatform.api.tokenization.Tokenizer;
import org.fraudplatform.api.validation.InvalidRequestException;
import org.fraudplatform.api.validation.MalformedJsonException;
import org.fraudplatform.api.validation.PaymentInput;
import org.fraudplatform.api.validation.PaymentRequestParser;
import org.fraudplatform.providers.AuthorizationCall;
import org.fraudplatform.schemas.BankTransfer;
import org.fraudplatform.schemas.Card;
import org.fraudplatform.schemas.Customer;
import org.fraudplatform.schemas.Wallet;
import org.fraudplatform.schemas.money.CurrencyRates;

/**
 * The edge: validates a request body and tokenizes it. The card number leaves this class only
 * inside the provider instrument; the event instrument carries the token, fingerprint, BIN and last
 * four; the request hash for idempotency is computed over tokens, never the number.
 */
public final class EdgeRequestMapper implements RequestMapper {

    private final PaymentRequestParser parser;
    private final Tokenizer tokenizer;

    /**
     * @param rates the currencies the edge accepts: those this table converts
     * @param tokenProviders the configured providers that charge their own client-side tokens, by
     *     name, with their kind
     */
    public EdgeRequestMapper(
            Tokenizer tokenizer,
            Clock clock,
            CurrencyRates rates,
            Map<String, String> tokenProviders) {
        this.parser =
                new PaymentRequestParser(
                        clock, PaymentRequestParser.DEFAULT_AMOUNT_LIMIT, rates, tokenProviders);
        this.tokenizer = tokenizer;
    }

    /** An edge for providers that take card numbers only. */
    public EdgeRequestMapper(Tokenizer tokenizer, Clock clock, CurrencyRates rates) {
        this(tokenizer, clock, rates, Map.of());
    }

    @Override
    public AcceptedRequest accept(String merchantId, byte[] body) throws Rejected {
        PaymentInput input;
        try {
            input = parser.parse(body);
        } catch (MalformedJsonException e) {
            throw new Rejected(Problem.malformedJson(e.getMessage()));
        } catch (InvalidRequestException e) {
            throw new Rejected(
                    Problem.invalidFields(
                            e.errors().stream()
                                    .map(f -> new Problem.FieldProblem(f.field(), f.message()))
                                    .toList()));
        }
        PaymentInput.CustomerInput c = input.customer();
        Customer customer =
                Customer.newBuilder()
                        .setId(c.id())
                        .setEmailHash(c.email() == null ? null : tokenizer.emailHash(c.email()))
                        .setIp(c.ip())
                        .setDeviceId(c.deviceId())
                        .setCountry(c.country())
                        .setBillingCountry(null)
                        .setShippingCountry(null)
                        .build();

        Object instrument;
        AuthorizationCall.Method providerMethod;
        Map<String, Object> view = new LinkedHashMap<>();
        String instrumentToken;
        if (input.method() instanceof PaymentInput.CardInput card) {
            String token = tokenizer.cardToken(card.number());
            String fingerprint = tokenizer.cardFingerprint(merchantId, card.number());
            instrument =
                    Card.newBuilder()
                            .setToken(token)
                            .setFingerprint(fingerprint)
                            .setBin(card.bin())
                            .setLast4(card.last4())
                            .setBrand(card.brand())
                            .setFunding(card.funding())
                            .setIssuingCountry(null)
                            .setExpMonth(card.expMonth())
                            .setExpYear(card.expYear())
                            .build();
            providerMethod =
                    new AuthorizationCall.CardMethod(
                            card.number(), card.expMonth(), card.expYear());
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("brand", lower(card.brand().name()));
            details.put("funding", lower(card.funding().name()));
            details.put("bin", card.bin());
            details.put("last4", card.last4());
            details.put("fingerprint", fingerprint);
            details.put("exp_month", card.expMonth());
            details.put("exp_year", card.expYear());
            view.put("type", "card");
            view.put("card", details);
            instrumentToken = token + "|" + card.expMonth() + "/" + card.expYear();
        } else if (input.method() instanceof PaymentInput.BankTransferInput bank) {
            String token = tokenizer.accountToken(bank.iban());
            instrument =
                    BankTransfer.newBuilder()
                            .setAccountToken(token)
                            .setBankCode(bank.bankCode())
                            .setCountry(bank.country())
                            .setLast4(bank.last4())
                            .setScheme(bank.scheme())
                            .build();
            providerMethod = new AuthorizationCall.BankTransferMethod(token, bank.country());
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("country", bank.country());
            if (bank.bankCode() != null) {
                details.put("bank_code", bank.bankCode());
            }
            details.put("last4", bank.last4());
            details.put("scheme", lower(bank.scheme().name()));
            view.put("type", "bank_transfer");
            view.put("bank_transfer", details);
            instrumentToken = token;
        } else if (input.method() instanceof PaymentInput.ProviderTokenInput provided) {
            String token = tokenizer.walletToken(provided.provider(), provided.token());
            instrument =
                    Wallet.newBuilder()
                            .setProvider(provided.kind())
                            .setWalletToken(token)
                            .setCardFingerprint(
                                    provided.fingerprint() == null
                                            ? null
                                            : tokenizer.providerCardToken(
                                                    provided.provider(), provided.fingerprint()))
                            .build();
            providerMethod =
                    new AuthorizationCall.ProviderTokenMethod(
                            provided.provider(), provided.token());
            // neither the token nor the platform-wide card key goes back to the merchant
            view.put("type", "provider_token");
            view.put("provider_token", Map.of("provider", provided.provider()));
            instrumentToken = token;
        } else {
            PaymentInput.WalletInput wallet = (PaymentInput.WalletInput) input.method();
            String token = tokenizer.walletToken(wallet.provider().name(), wallet.token());
            instrument =
                    Wallet.newBuilder()
                            .setProvider(wallet.provider())
                            .setWalletToken(token)
                            .setCardFingerprint(null)
                            .build();
            providerMethod =
                    new AuthorizationCall.WalletMethod(
                            lower(wallet.provider().name()), wallet.token());
            view.put("type", "wallet");
            view.put("wallet", Map.of("provider", lower(wallet.provider().name())));
            instrumentToken = token;
        }
        String hash =
                sha256(
                        String.join(
                                "\u0000",
                                List.of(
                                        Long.toString(input.amount()),
                                        input.currency(),
                                        String.valueOf(view.get("type")),
                                        instrumentToken,
                                        String.valueOf(c.id()),
                                        String.valueOf(customer.getEmailHash()),
                                        String.valueOf(c.ip()),
                                        String.valueOf(c.deviceId()),
                                        String.valueOf(c.country()),
                                        input.captureMethod().name(),
                                        input.channel().name(),
                                        String.valueOf(input.merchantCategoryCode()),
                                        String.valueOf(input.reference()))));
        return new AcceptedRequest(
                input.amount(),
                input.currency(),
                instrument,
                customer,
                input.captureMethod(),
                input.channel(),
                input.merchantCategoryCode(),
                input.reference(),
                providerMethod,
                view,
                hash,
                new org.fraudplatform.workers.notifications.Contact(
                        c.email(), c.phone(), c.deviceId(), c.locale()));
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
