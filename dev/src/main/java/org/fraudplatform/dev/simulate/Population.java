package org.fraudplatform.dev.simulate;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;

/**
 * The merchant's genuine customers and how often each pays.
 *
 * <p>Each customer has an activity weight (log-normal: a few regulars, many occasional buyers) and
 * pays at a human pace: at least {@value #MIN_GAP_SECONDS} s between two payments, at most {@value
 * #MAX_PER_10_MINUTES} in ten minutes and {@value #MAX_PER_HOUR} in an hour, so that genuine cards
 * stay below the velocity rules as real ones do. A share of the payments ({@value #NEWCOMER_SHARE})
 * comes from first-time customers, and when the regulars drawn have all paid as often as a person
 * would, a newcomer pays instead: a short run at a high rate meets many customers once, as a busy
 * shop does. Newcomers join the population and may come back.
 */
final class Population {

    static final int MIN_GAP_SECONDS = 30;
    static final int MAX_PER_10_MINUTES = 3;
    static final int MAX_PER_HOUR = 6;
    static final double NEWCOMER_SHARE = 0.15;
    private static final int DRAWS_BEFORE_A_NEWCOMER = 4;
    private static final double TYPICAL_AMOUNT_MEDIAN = 40_00;
    private static final double TYPICAL_AMOUNT_SIGMA = 0.8;
    private static final double ACTIVITY_SIGMA = 1.0;

    /** A customer, how active they are and when they paid in the last hour (plan seconds). */
    private record Member(Customer customer, Deque<Double> recent) {}

    private final Identities identities;
    private final Random random;
    private final List<Member> members = new ArrayList<>();
    private final List<Double> cumulativeWeights = new ArrayList<>();
    private final int[] victims;
    private int nextVictim;

    /** A population of {@code size} customers drawn from {@code identities}. */
    Population(int size, Identities identities, Random random) {
        this.identities = identities;
        this.random = random;
        for (int i = 0; i < size; i++) {
            join();
        }
        this.victims = new int[size];
        for (int i = 0; i < size; i++) {
            victims[i] = i;
        }
    }

    /** Everyone who has joined so far, in order of joining. */
    List<Customer> customers() {
        List<Customer> all = new ArrayList<>(members.size());
        members.forEach(m -> all.add(m.customer()));
        return all;
    }

    /** The customer who pays at {@code atSecond} of the plan, a newcomer if no regular may. */
    Customer payer(double atSecond) {
        if (random.nextDouble() >= NEWCOMER_SHARE) {
            for (int draw = 0; draw < DRAWS_BEFORE_A_NEWCOMER; draw++) {
                Member m = members.get(drawIndex());
                if (mayPay(m, atSecond)) {
                    m.recent().addLast(atSecond);
                    return m.customer();
                }
            }
        }
        Member newcomer = join();
        newcomer.recent().addLast(atSecond);
        return newcomer.customer();
    }

    /**
     * A customer whose card or account a fraudster gets hold of: each of the initial customers once
     * in a random order, then anyone.
     */
    Customer victim() {
        if (nextVictim < victims.length) {
            int pick = nextVictim + random.nextInt(victims.length - nextVictim);
            int chosen = victims[pick];
            victims[pick] = victims[nextVictim];
            victims[nextVictim] = chosen;
            nextVictim++;
            return members.get(chosen).customer();
        }
        return members.get(random.nextInt(members.size())).customer();
    }

    /** The amount of one payment of {@code customer}: log-normal around their typical amount. */
    long amountFor(Customer customer) {
        double amount = customer.typicalAmount() * Math.exp(0.5 * random.nextGaussian());
        return Math.max(1_00, Math.min(3_000_00, Math.round(amount)));
    }

    private boolean mayPay(Member m, double atSecond) {
        Deque<Double> recent = m.recent();
        while (!recent.isEmpty() && recent.peekFirst() <= atSecond - 3600) {
            recent.removeFirst();
        }
        if (recent.isEmpty()) {
            return true;
        }
        if (atSecond - recent.peekLast() < MIN_GAP_SECONDS || recent.size() >= MAX_PER_HOUR) {
            return false;
        }
        int inTenMinutes = 0;
        for (double t : recent) {
            if (t > atSecond - 600) {
                inTenMinutes++;
            }
        }
        return inTenMinutes < MAX_PER_10_MINUTES;
    }

    private Member join() {
        long typical =
                Math.max(
                        3_00,
                        Math.round(
                                TYPICAL_AMOUNT_MEDIAN
                                        * Math.exp(TYPICAL_AMOUNT_SIGMA * random.nextGaussian())));
        Customer c =
                new Customer(
                        identities.customerId(),
                        identities.personalEmail(),
                        identities.card(),
                        identities.residentialIp(),
                        identities.deviceId(),
                        identities.homeCountry(),
                        Math.min(typical, 1_500_00));
        Member m = new Member(c, new ArrayDeque<>());
        members.add(m);
        double weight = Math.exp(ACTIVITY_SIGMA * random.nextGaussian());
        double before = cumulativeWeights.isEmpty() ? 0 : last(cumulativeWeights);
        cumulativeWeights.add(before + weight);
        return m;
    }

    private int drawIndex() {
        double u = random.nextDouble() * last(cumulativeWeights);
        int lo = 0;
        int hi = cumulativeWeights.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulativeWeights.get(mid) > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    private static double last(List<Double> values) {
        return values.get(values.size() - 1);
    }
}
