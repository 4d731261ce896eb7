package org.fraudplatform.api.validation;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.fraudplatform.schemas.CaptureMethod;
import org.fraudplatform.schemas.CardBrand;
import org.fraudplatform.schemas.Channel;
import org.fraudplatform.schemas.WalletProvider;
import org.fraudplatform.schemas.cards.CardNumberDetector;
import org.fraudplatform.schemas.money.CurrencyRates;

/**
 * Parses and validates {@code POST /v1/payments} bodies. Every invalid field is reported, with its
 * JSON path and a message that never repeats a sensitive value. Unknown fields are refused: a
 * misspelt {@code ammount} must not pass as a payment without an amount.
 *
 * <p>Checks: amount an integer in minor units, 1 to the limit; currency a known ISO 4217 code that
 * the currency rate table converts (fraud rules and features judge amounts in its reference
 * currency, so a payment in another currency could not be judged); card number 12–19 digits (spaces
 * and dashes allowed) passing Luhn; expiry month 1–12 and not before this month; CVC 3 digits (4
 * for American Express); IBAN country length and mod-97 checksum; wallet provider and token; a
 * provider token's provider (a configured one that charges its own tokens), token (no card number
 * in it) and card fingerprint; e-mail shape; IP address literal (v4 or v6, never looked up); ISO
 * 3166 country; capture method, channel, merchant category code (4 digits), reference (at most 255
 * characters). The reference is free text and must hold no card number ({@link FreeText}): it goes
 * to Kafka and PostgreSQL as it is. The customer's id, device id and e-mail are identifiers, not
 * free text. Thread-safe.
 */
public final class PaymentRequestParser {

    public static final long DEFAULT_AMOUNT_LIMIT = 1_000_000_00L;
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Set<String> TOP_LEVEL =
            Set.of(
                    "amount",
                    "currency",
                    "payment_method",
                    "customer",
                    "capture_method",
                    "reference",
                    "channel",
                    "merchant_category_code");
    private static final Set<String> CUSTOMER_FIELDS =
            Set.of("id", "email", "ip", "device_id", "country", "phone", "locale");
    private static final Pattern PHONE = Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final Pattern LOCALE = Pattern.compile("[a-z]{2}(-[A-Z]{2})?");
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern IPV4 =
            Pattern.compile(
                    "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern MCC = Pattern.compile("\\d{4}");

    private static final Pattern FINGERPRINT = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int TOKEN_LIMIT = 4096;

    private final Clock clock;
    private final long amountLimit;
    private final CurrencyRates rates;
    private final Map<String, String> tokenProviders;

    /**
     * @param rates the currencies accepted are those this table converts
     * @param tokenProviders the configured providers that charge their own client-side tokens, by
     *     name, with their kind ({@code stripe}, {@code adyen}): what a {@code provider_token} may
     *     name
     */
    public PaymentRequestParser(
            Clock clock,
            long amountLimit,
            CurrencyRates rates,
            Map<String, String> tokenProviders) {
        this.clock = clock;
        this.amountLimit = amountLimit;
        this.rates = rates;
        this.tokenProviders = Map.copyOf(tokenProviders);
    }

    /** A parser for providers that take card numbers only. */
    public PaymentRequestParser(Clock clock, long amountLimit, CurrencyRates rates) {
        this(clock, amountLimit, rates, Map.of());
    }

    /** A parser with the default amount limit and the packaged rate table's currencies. */
    public PaymentRequestParser(Clock clock) {
        this(clock, DEFAULT_AMOUNT_LIMIT, CurrencyRates.packaged());
    }

    public PaymentInput parse(byte[] body) throws MalformedJsonException, InvalidRequestException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            // Jackson quotes the offending token, which could be a card number: mask digit runs.
            throw new MalformedJsonException(
                    e.getOriginalMessage()
                                    .replaceAll("\\d{6,}", "<digits>")
                                    .replaceAll(
                                            "\\s*\\(start marker at \\[Source: [^]]*\\]; line: (\\d+), column: (\\d+)\\]\\)",
                                            " (opened at line $1, column $2)")
                            + (e.getLocation() == null
                                    ? ""
                                    : " at line "
                                            + e.getLocation().getLineNr()
                                            + ", column "
                                            + e.getLocation().getColumnNr()));
        } catch (IOException e) {
            throw new MalformedJsonException("cannot read the body: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new MalformedJsonException("the body must be a JSON object");
        }
        List<FieldError> errors = new ArrayList<>();
        for (String field : ControlCharacters.fieldsWith(root)) {
            errors.add(new FieldError(field, "must not contain control characters"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        unknownFields(root, TOP_LEVEL, "", errors);

        long amount = amount(root.get("amount"), errors);
        String currency = currency(root.get("currency"), errors);
        PaymentInput.Method method = method(root.get("payment_method"), errors);
        PaymentInput.CustomerInput customer = customer(root.get("customer"), errors);
        CaptureMethod capture =
                choice(
                        root,
                        "capture_method",
                        CaptureMethod.class,
                        CaptureMethod.AUTOMATIC,
                        errors);
        Channel channel = choice(root, "channel", Channel.class, Channel.ECOMMERCE, errors);
        String mcc =
                optionalText(root, "merchant_category_code", "merchant_category_code", 4, errors);
        if (mcc != null && !MCC.matcher(mcc).matches()) {
            errors.add(new FieldError("merchant_category_code", "must be four digits (ISO 18245)"));
        }
        String reference = freeText(root, "reference", "reference", 255, errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return new PaymentInput(
                amount, currency, method, customer, capture, channel, mcc, reference);
    }

    private long amount(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            errors.add(
                    new FieldError(
                            "amount",
                            "is required: an integer in minor units (2500 for 25.00 EUR)"));
            return 0;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            errors.add(
                    new FieldError(
                            "amount", "must be an integer in minor units (2500 for 25.00 EUR)"));
            return 0;
        }
        long amount = node.asLong();
        if (amount <= 0) {
            errors.add(new FieldError("amount", "must be greater than 0"));
        } else if (amount > amountLimit) {
            errors.add(new FieldError("amount", "must be at most " + amountLimit));
        }
        return amount;
    }

    private String currency(JsonNode node, List<FieldError> errors) {
        if (node == null || !node.isTextual()) {
            errors.add(new FieldError("currency", "is required: an ISO 4217 code such as EUR"));
            return null;
        }
        String code = node.asText().toUpperCase(Locale.ROOT);
        try {
            if (code.length() == 3) {
                Currency currency = Currency.getInstance(code);
                if (currency.getDefaultFractionDigits() >= 0 && rates.supports(code)) {
                    return currency.getCurrencyCode();
                }
                if (currency.getDefaultFractionDigits() >= 0) {
                    errors.add(
                            new FieldError(
                                    "currency",
                                    "is not accepted: the platform has no exchange rate for "
                                            + code));
                    return null;
                }
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        errors.add(new FieldError("currency", "is not a known ISO 4217 currency code"));
        return null;
    }

    private PaymentInput.Method method(JsonNode node, List<FieldError> errors) {
        if (node == null || !node.isObject()) {
            errors.add(new FieldError("payment_method", "is required: an object with a type"));
            return null;
        }
        String type = node.path("type").asText("");
        switch (type) {
            case "card" -> {
                unknownFields(node, Set.of("type", "card"), "payment_method.", errors);
                return card(node.get("card"), errors);
            }
            case "bank_transfer" -> {
                unknownFields(node, Set.of("type", "bank_transfer"), "payment_method.", errors);
                return bankTransfer(node.get("bank_transfer"), errors);
            }
            case "wallet" -> {
                unknownFields(node, Set.of("type", "wallet"), "payment_method.", errors);
                return wallet(node.get("wallet"), errors);
            }
            case "provider_token" -> {
                unknownFields(node, Set.of("type", "provider_token"), "payment_method.", errors);
                return providerToken(node.get("provider_token"), errors);
            }
            default -> {
                errors.add(
                        new FieldError(
                                "payment_method.type",
                                "must be card, bank_transfer, wallet or provider_token"));
                return null;
            }
        }
    }

    private PaymentInput.CardInput card(JsonNode card, List<FieldError> errors) {
        String p = "payment_method.card.";
        if (card == null || !card.isObject()) {
            errors.add(new FieldError("payment_method.card", "is required for type card"));
            return null;
        }
        unknownFields(card, Set.of("number", "exp_month", "exp_year", "cvc"), p, errors);
        int before = errors.size();
        String number = null;
        JsonNode numberNode = card.get("number");
        if (numberNode == null || !numberNode.isTextual()) {
            errors.add(new FieldError(p + "number", "is required, as a string of digits"));
        } else {
            String digits = numberNode.asText().replaceAll("[ -]", "");
            if (!digits.matches("\\d{12,19}")) {
                errors.add(new FieldError(p + "number", "must be 12 to 19 digits"));
            } else if (!CardNumbers.passesLuhn(digits)) {
                errors.add(
                        new FieldError(p + "number", "is not a valid card number (check digit)"));
            } else {
                number = digits;
            }
        }
        int month = integer(card, "exp_month", p, 1, 12, errors);
        int year = integer(card, "exp_year", p, 2000, 2100, errors);
        if (month > 0
                && year > 0
                && YearMonth.of(year, month)
                        .isBefore(YearMonth.now(clock.withZone(ZoneOffset.UTC)))) {
            errors.add(new FieldError(p + "exp_year", "the card has expired"));
        }
        CardBrand brand = number == null ? CardBrand.UNKNOWN : CardNumbers.brand(number);
        String cvc = null;
        JsonNode cvcNode = card.get("cvc");
        int cvcLength = brand == CardBrand.AMEX ? 4 : 3;
        if (cvcNode == null || !cvcNode.isTextual()) {
            errors.add(
                    new FieldError(
                            p + "cvc", "is required, as a string of " + cvcLength + " digits"));
        } else if (!cvcNode.asText().matches("\\d{" + cvcLength + "}")) {
            errors.add(new FieldError(p + "cvc", "must be " + cvcLength + " digits for this card"));
        } else {
            cvc = cvcNode.asText();
        }
        if (errors.size() > before) {
            return null;
        }
        return new PaymentInput.CardInput(
                number, month, year, cvc, brand, CardNumbers.funding(number));
    }

    private static PaymentInput.BankTransferInput bankTransfer(
            JsonNode bank, List<FieldError> errors) {
        if (bank == null || !bank.isObject()) {
            errors.add(
                    new FieldError(
                            "payment_method.bank_transfer", "is required for type bank_transfer"));
            return null;
        }
        unknownFields(bank, Set.of("iban"), "payment_method.bank_transfer.", errors);
        JsonNode ibanNode = bank.get("iban");
        if (ibanNode == null || !ibanNode.isTextual()) {
            errors.add(new FieldError("payment_method.bank_transfer.iban", "is required"));
            return null;
        }
        String iban = Ibans.normalize(ibanNode.asText());
        String problem = Ibans.problem(iban);
        if (problem != null) {
            errors.add(new FieldError("payment_method.bank_transfer.iban", problem));
            return null;
        }
        return new PaymentInput.BankTransferInput(
                iban, iban.substring(0, 2), Ibans.bankCode(iban), Ibans.scheme(iban));
    }

    private static PaymentInput.WalletInput wallet(JsonNode wallet, List<FieldError> errors) {
        String p = "payment_method.wallet.";
        if (wallet == null || !wallet.isObject()) {
            errors.add(new FieldError("payment_method.wallet", "is required for type wallet"));
            return null;
        }
        unknownFields(wallet, Set.of("provider", "token"), p, errors);
        WalletProvider provider = null;
        switch (wallet.path("provider").asText("")) {
            case "apple_pay" -> provider = WalletProvider.APPLE_PAY;
            case "google_pay" -> provider = WalletProvider.GOOGLE_PAY;
            case "paypal" -> provider = WalletProvider.PAYPAL;
            default ->
                    errors.add(
                            new FieldError(
                                    p + "provider", "must be apple_pay, google_pay or paypal"));
        }
        String token = wallet.path("token").asText("");
        if (token.isBlank() || token.length() > 4096) {
            errors.add(new FieldError(p + "token", "is required (at most 4096 characters)"));
            return null;
        }
        return provider == null ? null : new PaymentInput.WalletInput(provider, token);
    }

    private PaymentInput.ProviderTokenInput providerToken(JsonNode node, List<FieldError> errors) {
        String p = "payment_method.provider_token.";
        if (node == null || !node.isObject()) {
            errors.add(
                    new FieldError(
                            "payment_method.provider_token",
                            "is required for type provider_token"));
            return null;
        }
        unknownFields(node, Set.of("provider", "token", "fingerprint"), p, errors);
        int before = errors.size();
        String provider = node.path("provider").asText("");
        String kind = tokenProviders.get(provider);
        if (kind == null) {
            errors.add(
                    new FieldError(
                            p + "provider",
                            tokenProviders.isEmpty()
                                    ? "names no provider here: no configured provider charges its"
                                            + " own tokens (the simulated providers take card"
                                            + " numbers)"
                                    : "must name the configured provider that made the token: "
                                            + String.join(
                                                    ", ",
                                                    new java.util.TreeSet<>(
                                                            tokenProviders.keySet()))));
        }
        JsonNode tokenNode = node.get("token");
        String token = null;
        if (tokenNode == null
                || !tokenNode.isTextual()
                || tokenNode.asText().isBlank()
                || tokenNode.asText().length() > TOKEN_LIMIT) {
            errors.add(
                    new FieldError(
                            p + "token",
                            "is required, as the provider's token (at most "
                                    + TOKEN_LIMIT
                                    + " characters)"));
        } else if (CardNumberDetector.contains(tokenNode.asText())) {
            // a token is made to keep the card number away: one holding a number is a mistake
            errors.add(new FieldError(p + "token", CardNumberDetector.REFUSAL));
        } else {
            token = tokenNode.asText();
        }
        String fingerprint = null;
        JsonNode fingerprintNode = node.get("fingerprint");
        if (fingerprintNode != null && !fingerprintNode.isNull()) {
            if (!fingerprintNode.isTextual()
                    || !FINGERPRINT.matcher(fingerprintNode.asText()).matches()) {
                errors.add(
                        new FieldError(
                                p + "fingerprint",
                                "must be the provider's card fingerprint: 1 to 64 letters, digits,"
                                        + " '_' or '-'"));
            } else {
                fingerprint = fingerprintNode.asText();
            }
        }
        if (errors.size() > before) {
            return null;
        }
        WalletProvider walletProvider =
                switch (kind) {
                    case "stripe" -> WalletProvider.STRIPE;
                    case "adyen" -> WalletProvider.ADYEN;
                    default -> WalletProvider.OTHER;
                };
        return new PaymentInput.ProviderTokenInput(provider, walletProvider, token, fingerprint);
    }

    private static PaymentInput.CustomerInput customer(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return new PaymentInput.CustomerInput(null, null, null, null, null, null, null);
        }
        if (!node.isObject()) {
            errors.add(new FieldError("customer", "must be an object"));
            return null;
        }
        unknownFields(node, CUSTOMER_FIELDS, "customer.", errors);
        String id = optionalText(node, "id", "customer.id", 255, errors);
        String email = optionalText(node, "email", "customer.email", 254, errors);
        if (email != null && !EMAIL.matcher(email).matches()) {
            errors.add(new FieldError("customer.email", "is not an e-mail address"));
        }
        String ip = optionalText(node, "ip", "customer.ip", 45, errors);
        if (ip != null && !isIpLiteral(ip)) {
            errors.add(new FieldError("customer.ip", "is not an IPv4 or IPv6 address"));
        }
        String device = optionalText(node, "device_id", "customer.device_id", 255, errors);
        String country = optionalText(node, "country", "customer.country", 2, errors);
        if (country != null && !COUNTRIES.contains(country.toUpperCase(Locale.ROOT))) {
            errors.add(
                    new FieldError(
                            "customer.country", "is not an ISO 3166-1 alpha-2 country code"));
        }
        String phone = optionalText(node, "phone", "customer.phone", 16, errors);
        if (phone != null && !PHONE.matcher(phone).matches()) {
            errors.add(
                    new FieldError(
                            "customer.phone",
                            "is not an E.164 phone number (e.g. +4915112345678)"));
        }
        String locale = optionalText(node, "locale", "customer.locale", 5, errors);
        if (locale != null && !LOCALE.matcher(locale).matches()) {
            errors.add(new FieldError("customer.locale", "is not a locale such as en or de-DE"));
        }
        return new PaymentInput.CustomerInput(
                id,
                email,
                ip,
                device,
                country == null ? null : country.toUpperCase(Locale.ROOT),
                phone,
                locale);
    }

    static boolean isIpLiteral(String ip) {
        if (IPV4.matcher(ip).matches()) {
            return true;
        }
        if (!ip.contains(":") || !IPV6.matcher(ip).matches()) {
            return false;
        }
        try {
            // A literal with only hex digits, colons and dots is parsed, never looked up.
            return java.net.InetAddress.getByName(ip) instanceof java.net.Inet6Address;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static <E extends Enum<E>> E choice(
            JsonNode root, String field, Class<E> type, E fallback, List<FieldError> errors) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (node.isTextual()) {
            for (E value : type.getEnumConstants()) {
                if (value.name().equalsIgnoreCase(node.asText())) {
                    return value;
                }
            }
        }
        List<String> allowed = new ArrayList<>();
        for (E value : type.getEnumConstants()) {
            allowed.add(value.name().toLowerCase(Locale.ROOT));
        }
        errors.add(new FieldError(field, "must be one of " + String.join(", ", allowed)));
        return fallback;
    }

    private static String optionalText(
            JsonNode node, String name, String path, int maxLength, List<FieldError> errors) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            errors.add(new FieldError(path, "must be a non-empty string"));
            return null;
        }
        if (value.asText().length() > maxLength) {
            errors.add(new FieldError(path, "must be at most " + maxLength + " characters"));
            return null;
        }
        return value.asText();
    }

    /** {@link #optionalText}, refused when it holds a card number. */
    private static String freeText(
            JsonNode node, String name, String path, int maxLength, List<FieldError> errors) {
        String text = optionalText(node, name, path, maxLength, errors);
        if (FreeText.holdsCardNumber(text)) {
            errors.add(new FieldError(path, FreeText.REFUSAL));
            return null;
        }
        return text;
    }

    private static int integer(
            JsonNode node, String name, String prefix, int min, int max, List<FieldError> errors) {
        JsonNode value = node.get(name);
        if (value == null
                || !value.isIntegralNumber()
                || value.asInt() < min
                || value.asInt() > max) {
            errors.add(
                    new FieldError(prefix + name, "must be an integer from " + min + " to " + max));
            return -1;
        }
        return value.asInt();
    }

    private static void unknownFields(
            JsonNode node, Set<String> known, String prefix, List<FieldError> errors) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                errors.add(new FieldError(prefix + name, "is not a known field"));
            }
        }
    }
}
