package org.fraudplatform.dev.simulate;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Draws the identities of a simulation: card numbers, IP addresses, device ids, e-mail addresses,
 * customer ids and countries. Every value is drawn once (no two customers share a card, an address
 * or a device by accident, which the card-testing rules would see), and the draws follow the seed.
 *
 * <p>Card numbers are 16-digit Visa and Mastercard numbers with a valid Luhn check digit, never in
 * the simulated provider's test range (BIN 400000): the provider approves them all and only the
 * risk engine decides. E-mail addresses use the reserved example domains. Genuine customers pay
 * from residential-looking addresses, fraudsters from hosting and proxy ranges (different first
 * octets, so the two never collide).
 */
final class Identities {

    /** Countries of the merchant's genuine customers, weighted by how many live there. */
    static final List<String> HOME_COUNTRIES =
            List.of("DE", "DE", "DE", "DE", "FR", "FR", "NL", "AT", "BE", "ES", "IT", "PL", "SE");

    /** Countries the fraudsters act from, none of them a home country of the population. */
    static final List<String> FOREIGN_COUNTRIES =
            List.of("US", "GB", "BR", "CA", "TR", "RO", "VN", "ID");

    private static final int[] RESIDENTIAL_OCTETS = {78, 79, 80, 81, 82, 84, 85, 86, 87, 88, 91};
    private static final int[] PROXY_OCTETS = {45, 103, 154, 185, 193};
    private static final String[] FIRST_NAMES = {
        "ada", "alan", "grace", "linus", "marie", "nils", "olga", "paul", "rosa", "sven", "tara",
        "yuki", "omar", "lena", "ivan", "jana", "karl", "mila", "noah", "emma"
    };
    private static final String[] LAST_NAMES = {
        "berg", "costa", "dubois", "fischer", "garcia", "hansen", "jansen", "keller", "lopez",
        "meyer", "novak", "peters", "rossi", "schmidt", "weber", "vogel"
    };
    private static final String[] DOMAINS = {"example.com", "example.org", "example.net"};
    private static final int FIRST_EXPIRY_YEAR = 2029;

    private final Random random;
    private final String tag;
    private final Set<String> used = new HashSet<>();
    private int customers;

    /**
     * @param random the draws
     * @param seed goes into customer ids, so that two seeds have two populations
     */
    Identities(Random random, long seed) {
        this.random = random;
        this.tag = Long.toUnsignedString(seed, 36);
    }

    /** A new customer id. */
    String customerId() {
        customers++;
        return "cus_" + tag + "_" + customers;
    }

    /** A new card, expiring some time from 2029 on. */
    Card card() {
        String number;
        do {
            StringBuilder digits = new StringBuilder(16);
            if (random.nextBoolean()) {
                digits.append('4');
            } else {
                digits.append('5').append(1 + random.nextInt(5));
            }
            while (digits.length() < 15) {
                digits.append(random.nextInt(10));
            }
            number = org.fraudplatform.api.validation.CardNumbers.withCheckDigit(digits.toString());
        } while (number.startsWith("400000") || !used.add(number));
        return new Card(
                number,
                1 + random.nextInt(12),
                FIRST_EXPIRY_YEAR + random.nextInt(6),
                String.format("%03d", random.nextInt(1000)));
    }

    /** A new address of a home broadband line. */
    String residentialIp() {
        return ip(RESIDENTIAL_OCTETS);
    }

    /** A new address of a hosting provider or proxy. */
    String proxyIp() {
        return ip(PROXY_OCTETS);
    }

    /** A new device id. */
    String deviceId() {
        String id;
        do {
            id = String.format("dev_%016x", random.nextLong());
        } while (!used.add(id));
        return id;
    }

    /** A new e-mail address that looks like a person's. */
    String personalEmail() {
        String email;
        do {
            email =
                    FIRST_NAMES[random.nextInt(FIRST_NAMES.length)]
                            + "."
                            + LAST_NAMES[random.nextInt(LAST_NAMES.length)]
                            + random.nextInt(10_000)
                            + "@"
                            + DOMAINS[random.nextInt(DOMAINS.length)];
        } while (!used.add(email));
        return email;
    }

    /** A new throwaway e-mail address: random letters and digits. */
    String throwawayEmail() {
        String email;
        do {
            email =
                    Long.toString(Math.abs(random.nextLong() % 2_000_000_000_000L), 36)
                            + "@"
                            + DOMAINS[random.nextInt(DOMAINS.length)];
        } while (!used.add(email));
        return email;
    }

    /** A home country, as often as customers live there. */
    String homeCountry() {
        return HOME_COUNTRIES.get(random.nextInt(HOME_COUNTRIES.size()));
    }

    /** A country none of the population lives in. */
    String foreignCountry() {
        return FOREIGN_COUNTRIES.get(random.nextInt(FOREIGN_COUNTRIES.size()));
    }

    private String ip(int[] firstOctets) {
        String ip;
        do {
            ip =
                    firstOctets[random.nextInt(firstOctets.length)]
                            + "."
                            + random.nextInt(256)
                            + "."
                            + random.nextInt(256)
                            + "."
                            + (1 + random.nextInt(254));
        } while (!used.add(ip));
        return ip;
    }
}
