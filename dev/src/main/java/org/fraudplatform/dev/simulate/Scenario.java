package org.fraudplatform.dev.simulate;

/**
 * Who is behind a simulated payment: a genuine customer, or one of the fraud patterns the features
 * can see. Each pattern is what an analyst would recognise in the payments of one merchant.
 *
 * <p>Patterns that need several merchants (a compromised terminal, one card rushed through many
 * shops) are left out: the simulator speaks for the one merchant whose API key it holds.
 */
public enum Scenario {
    /** A customer of the population paying at a human pace with their own card, IP and device. */
    GENUINE("genuine", false),
    /**
     * One IP address and one device try many new cards with small amounts in a burst, a fresh guest
     * account and e-mail each time: the velocity of distinct cards per IP and device gives it away,
     * and the rules decline it from the fifth card on.
     */
    CARD_TESTING("card testing", true),
    /**
     * A genuine customer's card in a stranger's account: new IP address, device, e-mail and
     * country, several amounts well above the card's usual within minutes.
     */
    STOLEN_CARD("stolen card", true),
    /**
     * A genuine customer's account taken over: the same customer id with a new e-mail, device and
     * IP address and a new card, spending several times the customer's usual amount.
     */
    ACCOUNT_TAKEOVER("account takeover", true);

    private final String title;
    private final boolean fraud;

    Scenario(String title, boolean fraud) {
        this.title = title;
        this.fraud = fraud;
    }

    /** How the summary names it. */
    public String title() {
        return title;
    }

    /** The ground truth: whether the payments of this scenario are fraud. */
    public boolean fraud() {
        return fraud;
    }
}
