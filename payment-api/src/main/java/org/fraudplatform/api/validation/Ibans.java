package org.fraudplatform.api.validation;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.fraudplatform.schemas.BankScheme;

/** IBAN checks (ISO 13616): country length and the mod-97 checksum; bank code and scheme. */
final class Ibans {

    private static final Map<String, Integer> LENGTHS =
            Map.ofEntries(
                    Map.entry("AT", 20),
                    Map.entry("BE", 16),
                    Map.entry("CH", 21),
                    Map.entry("CZ", 24),
                    Map.entry("DE", 22),
                    Map.entry("DK", 18),
                    Map.entry("ES", 24),
                    Map.entry("FI", 18),
                    Map.entry("FR", 27),
                    Map.entry("GB", 22),
                    Map.entry("IE", 22),
                    Map.entry("IT", 27),
                    Map.entry("LU", 20),
                    Map.entry("NL", 18),
                    Map.entry("NO", 15),
                    Map.entry("PL", 28),
                    Map.entry("PT", 25),
                    Map.entry("SE", 24));
    private static final Map<String, int[]> BANK_CODE =
            Map.of(
                    "DE",
                    new int[] {4, 12},
                    "GB",
                    new int[] {4, 8},
                    "NL",
                    new int[] {4, 8},
                    "FR",
                    new int[] {4, 9});
    private static final Set<String> SEPA =
            Set.of(
                    "AT", "BE", "CH", "CZ", "DE", "DK", "ES", "FI", "FR", "GB", "IE", "IT", "LU",
                    "NL", "NO", "PL", "PT", "SE");

    private Ibans() {}

    static String normalize(String iban) {
        return iban.replace(" ", "").toUpperCase(Locale.ROOT);
    }

    /** Why the normalized IBAN is invalid, or null when it is valid. */
    static String problem(String iban) {
        if (!iban.matches("[A-Z]{2}\\d{2}[A-Z0-9]{10,30}")) {
            return "is not an IBAN (two letters, two check digits, then the account)";
        }
        Integer length = LENGTHS.get(iban.substring(0, 2));
        if (length == null) {
            return "country " + iban.substring(0, 2) + " is not supported for bank transfers";
        }
        if (iban.length() != length) {
            return "must have " + length + " characters for " + iban.substring(0, 2);
        }
        String rearranged = iban.substring(4) + iban.substring(0, 4);
        StringBuilder digits = new StringBuilder();
        for (char c : rearranged.toCharArray()) {
            digits.append(Character.isDigit(c) ? String.valueOf(c) : String.valueOf(c - 'A' + 10));
        }
        if (new BigInteger(digits.toString()).mod(BigInteger.valueOf(97)).intValue() != 1) {
            return "is not a valid IBAN (check digits)";
        }
        return null;
    }

    static String bankCode(String iban) {
        int[] range = BANK_CODE.get(iban.substring(0, 2));
        return range == null ? null : iban.substring(range[0], range[1]);
    }

    static BankScheme scheme(String iban) {
        return SEPA.contains(iban.substring(0, 2)) ? BankScheme.SEPA : BankScheme.OTHER;
    }
}
