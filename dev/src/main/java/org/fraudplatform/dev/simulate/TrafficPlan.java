package org.fraudplatform.dev.simulate;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The traffic of a simulation, planned before the first request: which customer pays what, when,
 * with which card, and who is a fraudster. The same options give the same plan, request for request
 * (the platform's answers may still differ from run to run).
 *
 * <p>The plan is a sequence of payment slots, one every {@code 1/rate} seconds. Fraud takes {@code
 * fraudShare} of them, in scenario occurrences ({@link Scenario}): the first three occurrences are
 * one of each pattern (when the budget allows), the rest are drawn; each occurrence starts at a
 * random time and spaces its payments as its pattern does (a card-testing bot every second or so, a
 * thief every few seconds). The last occurrence is cut short to spend the budget exactly. Genuine
 * customers of the {@link Population} fill the other slots.
 *
 * <p>Scenarios that need several merchants (a compromised terminal, one card rushed through many
 * shops) are not planned: the traffic goes through the one merchant whose key sends it.
 */
public final class TrafficPlan {

    private static final Scenario[] FIRST_OCCURRENCES = {
        Scenario.CARD_TESTING, Scenario.STOLEN_CARD, Scenario.ACCOUNT_TAKEOVER
    };

    private final SimulationOptions options;
    private final List<PlannedPayment> payments;
    private final List<Customer> customers;

    private TrafficPlan(
            SimulationOptions options, List<PlannedPayment> payments, List<Customer> customers) {
        this.options = options;
        this.payments = List.copyOf(payments);
        this.customers = List.copyOf(customers);
    }

    /** Plans the traffic the options describe. */
    public static TrafficPlan generate(SimulationOptions options) {
        long seed = options.seed();
        Identities identities = new Identities(new Random(seed ^ 0x1D3A_5F27L), seed);
        Population population =
                new Population(options.customers(), identities, new Random(seed ^ 0x2F6B_1C49L));
        List<PlannedPayment> fraud =
                new FraudPlanner(options, identities, population, new Random(seed ^ 0x3B8E_4D61L))
                        .plan();
        List<PlannedPayment> all =
                merge(options, fraud, population, new Random(seed ^ 0x4C2D_7A93L));
        return new TrafficPlan(options, all, population.customers());
    }

    /** The options it was planned with. */
    public SimulationOptions options() {
        return options;
    }

    /** Every payment, in the order they are sent. */
    public List<PlannedPayment> payments() {
        return payments;
    }

    /** The genuine customers: the population at the start and every newcomer who joined. */
    public List<Customer> customers() {
        return customers;
    }

    /** How many payments each scenario makes. */
    public Map<Scenario, Integer> countsByScenario() {
        Map<Scenario, Integer> counts = new EnumMap<>(Scenario.class);
        for (Scenario s : Scenario.values()) {
            counts.put(s, 0);
        }
        payments.forEach(p -> counts.merge(p.scenario(), 1, Integer::sum));
        return counts;
    }

    /**
     * Interleaves the fraud with genuine payments: a slot goes to the next fraud payment once its
     * time has come (or when only as many slots are left as fraud payments), else to a genuine one.
     */
    private static List<PlannedPayment> merge(
            SimulationOptions options,
            List<PlannedPayment> fraudByTime,
            Population population,
            Random random) {
        Deque<PlannedPayment> fraud = new ArrayDeque<>(fraudByTime);
        List<PlannedPayment> all = new ArrayList<>(options.payments());
        for (int slot = 0; slot < options.payments(); slot++) {
            double at = (double) slot / options.rate();
            PlannedPayment next = fraud.peekFirst();
            if (next != null
                    && (next.index() <= slot || fraud.size() >= options.payments() - slot)) {
                all.add(fraud.removeFirst().withIndex(slot));
                continue;
            }
            Customer c = population.payer(at);
            FollowUp followUp =
                    random.nextDouble() < options.refundShare() ? FollowUp.REFUND : FollowUp.NONE;
            all.add(
                    new PlannedPayment(
                            slot,
                            Scenario.GENUINE,
                            0,
                            c.id(),
                            c.email(),
                            c.ip(),
                            c.deviceId(),
                            c.country(),
                            c.card(),
                            population.amountFor(c),
                            followUp));
        }
        return all;
    }

    /**
     * Plans the fraud occurrences. While planning, a payment's index holds the slot it wants (its
     * time times the rate); the merge gives it its real place.
     */
    private static final class FraudPlanner {

        private final SimulationOptions options;
        private final Identities identities;
        private final Population population;
        private final Random random;
        private final double duration;

        FraudPlanner(
                SimulationOptions options,
                Identities identities,
                Population population,
                Random random) {
            this.options = options;
            this.identities = identities;
            this.population = population;
            this.random = random;
            this.duration = (double) options.payments() / options.rate();
        }

        List<PlannedPayment> plan() {
            int budget = (int) Math.round(options.payments() * options.fraudShare());
            List<PlannedPayment> planned = new ArrayList<>(budget);
            int occurrence = 0;
            while (planned.size() < budget) {
                occurrence++;
                Scenario scenario =
                        occurrence <= FIRST_OCCURRENCES.length
                                ? FIRST_OCCURRENCES[occurrence - 1]
                                : drawScenario();
                int size = Math.min(budget - planned.size(), sizeOf(scenario));
                switch (scenario) {
                    case CARD_TESTING -> planned.addAll(cardTesting(occurrence, size));
                    case STOLEN_CARD -> planned.addAll(stolenCard(occurrence, size));
                    case ACCOUNT_TAKEOVER -> planned.addAll(accountTakeover(occurrence, size));
                    default -> throw new IllegalStateException("not a fraud: " + scenario);
                }
            }
            // stable: the payments of one occurrence keep their order when times are equal
            List<PlannedPayment> byTime = new ArrayList<>(planned);
            Collections.sort(byTime, Comparator.comparingInt(PlannedPayment::index));
            return byTime;
        }

        private Scenario drawScenario() {
            double u = random.nextDouble();
            if (u < 0.25) {
                return Scenario.CARD_TESTING;
            }
            return u < 0.65 ? Scenario.STOLEN_CARD : Scenario.ACCOUNT_TAKEOVER;
        }

        private int sizeOf(Scenario scenario) {
            switch (scenario) {
                case CARD_TESTING:
                    return 6 + random.nextInt(10);
                case STOLEN_CARD:
                    return 2 + random.nextInt(4);
                default:
                    return 2 + random.nextInt(3);
            }
        }

        /** One IP address and device, a new card, guest account and e-mail for each attempt. */
        private List<PlannedPayment> cardTesting(int occurrence, int size) {
            String ip = identities.proxyIp();
            String device = identities.deviceId();
            String country = identities.foreignCountry();
            int[] slots = slots(size, 0.2, 1.5);
            List<PlannedPayment> out = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                out.add(
                        new PlannedPayment(
                                slots[i],
                                Scenario.CARD_TESTING,
                                occurrence,
                                identities.customerId(),
                                identities.throwawayEmail(),
                                ip,
                                device,
                                country,
                                identities.card(),
                                50 + random.nextInt(250),
                                labelFollowUp()));
            }
            return out;
        }

        /** A victim's card in the thief's own new account, from abroad, for large amounts. */
        private List<PlannedPayment> stolenCard(int occurrence, int size) {
            Customer victim = population.victim();
            String customerId = identities.customerId();
            String email = identities.throwawayEmail();
            String ip = identities.proxyIp();
            String device = identities.deviceId();
            String country = identities.foreignCountry();
            int[] slots = slots(size, 2, 15);
            List<PlannedPayment> out = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                out.add(
                        new PlannedPayment(
                                slots[i],
                                Scenario.STOLEN_CARD,
                                occurrence,
                                customerId,
                                email,
                                ip,
                                device,
                                country,
                                victim.card(),
                                largeAmount(victim, 3, 10, 25_00, 2_500_00),
                                labelFollowUp()));
            }
            return out;
        }

        /** A victim's account with the thief's e-mail, device, address and card. */
        private List<PlannedPayment> accountTakeover(int occurrence, int size) {
            Customer victim = population.victim();
            String email = identities.throwawayEmail();
            String ip = identities.proxyIp();
            String device = identities.deviceId();
            Card card = identities.card();
            int[] slots = slots(size, 3, 20);
            List<PlannedPayment> out = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                out.add(
                        new PlannedPayment(
                                slots[i],
                                Scenario.ACCOUNT_TAKEOVER,
                                occurrence,
                                victim.id(),
                                email,
                                ip,
                                device,
                                victim.country(),
                                card,
                                largeAmount(victim, 4, 12, 30_00, 3_000_00),
                                labelFollowUp()));
            }
            return out;
        }

        /**
         * The slots of {@code size} payments spaced by {@code minGap} to {@code maxGap} seconds,
         * starting at a random time that lets the burst end within the run when it fits.
         */
        private int[] slots(int size, double minGap, double maxGap) {
            double[] offsets = new double[size];
            for (int i = 1; i < size; i++) {
                offsets[i] = offsets[i - 1] + minGap + random.nextDouble() * (maxGap - minGap);
            }
            double start = random.nextDouble() * Math.max(0, duration - offsets[size - 1]);
            int[] slots = new int[size];
            for (int i = 0; i < size; i++) {
                slots[i] = (int) Math.floor((start + offsets[i]) * options.rate());
            }
            return slots;
        }

        private long largeAmount(Customer victim, double min, double max, long floor, long cap) {
            double factor = min + random.nextDouble() * (max - min);
            long amount = Math.round(victim.typicalAmount() * factor);
            return Math.max(floor, Math.min(cap, amount));
        }

        private FollowUp labelFollowUp() {
            double u = random.nextDouble();
            if (u < options.chargebackShare()) {
                return FollowUp.CHARGEBACK;
            }
            return u < options.chargebackShare() + options.reportShare()
                    ? FollowUp.FRAUD_REPORT
                    : FollowUp.NONE;
        }
    }
}
