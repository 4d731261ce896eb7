package org.fraudplatform.features;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The reference the feature engine is tested against: the catalogue's definitions applied literally
 * to every payment of the entity ever accepted, with no eviction, no sorting and no binary state.
 * Slow and obviously right. For an entity the catalogue counts in time buckets it reads the
 * bucketed definition (a payment counts when its bucket lies in the window's buckets), and checks
 * on every value that the bucketed count stays within the stated bound of the exact one: off by at
 * most the payments of the two edge buckets.
 */
final class BruteForceFeatures {

    private static final class Seen {
        final FeaturePayment payment;
        long declinedAt = Long.MAX_VALUE;
        long fraudAt;

        Seen(FeaturePayment payment) {
            this.payment = payment;
            this.fraudAt =
                    payment.fraudKnownAtMillis() == null
                            ? Long.MAX_VALUE
                            : payment.fraudKnownAtMillis();
        }

        long time() {
            return payment.timeMillis();
        }
    }

    /** Payments of one entity since it last started over. */
    private static final class Epoch {
        final List<Seen> payments = new ArrayList<>();
        long newest = Long.MIN_VALUE;
    }

    private final FeatureCatalogue catalogue;
    private final Map<Entity, Map<String, Epoch>> state = new EnumMap<>(Entity.class);
    private final Map<String, List<Seen>> byTransaction = new HashMap<>();

    BruteForceFeatures(FeatureCatalogue catalogue) {
        this.catalogue = catalogue;
        for (Entity e : Entity.values()) {
            state.put(e, new HashMap<>());
        }
    }

    /** The vector, or null when some entity refused the payment as too late. */
    Map<String, Double> record(FeaturePayment p) {
        Map<String, Double> values = new HashMap<>();
        boolean late = false;
        for (Entity entity : catalogue.entities()) {
            String key = entity.keyOf(p);
            if (key == null) {
                continue;
            }
            Epoch epoch = state.get(entity).computeIfAbsent(key, k -> new Epoch());
            long t = p.timeMillis();
            if (!epoch.payments.isEmpty()
                    && epoch.newest < t - catalogue.retention(entity).toMillis()) {
                state.get(entity).put(key, epoch = new Epoch());
            }
            if (!epoch.payments.isEmpty() && t < epoch.newest - catalogue.grace().toMillis()) {
                late = true;
                continue;
            }
            Seen current = new Seen(p);
            epoch.payments.add(current);
            epoch.newest = Math.max(epoch.newest, t);
            byTransaction.computeIfAbsent(p.transactionId(), k -> new ArrayList<>()).add(current);
            long bucket = catalogue.bucket(entity).toMillis();
            for (FeatureDefinition f : catalogue.features(entity)) {
                Double v = value(f, epoch.payments, current, bucket);
                if (v != null) {
                    values.put(f.name(), v);
                }
            }
        }
        return late ? null : catalogue.orderedVector(values);
    }

    void apply(FeatureOutcome o) {
        for (Seen s : byTransaction.getOrDefault(o.transactionId(), List.of())) {
            if (o.kind() == FeatureOutcome.Kind.DECLINED) {
                s.declinedAt = Math.min(s.declinedAt, o.knownAtMillis());
            } else {
                s.fraudAt = Math.min(s.fraudAt, o.knownAtMillis());
            }
        }
    }

    private static Double value(FeatureDefinition f, List<Seen> all, Seen current, long bucket) {
        long t = current.time();
        long hi = t - f.lag().toMillis();
        long lo = hi - f.window().toMillis();
        List<Seen> in = new ArrayList<>();
        for (Seen s : all) {
            if (s.time() > lo && s.time() <= hi) {
                in.add(s);
            }
        }
        if (bucket > 0 && f.aggregation().windowed()) {
            List<Seen> exact = in;
            in = new ArrayList<>();
            long edges = 0;
            for (Seen s : all) {
                long b = Math.floorDiv(s.time(), bucket);
                if (b > Math.floorDiv(lo, bucket) && b <= Math.floorDiv(hi, bucket)) {
                    in.add(s);
                }
                if (b == Math.floorDiv(lo, bucket) || b == Math.floorDiv(hi, bucket)) {
                    edges++;
                }
            }
            if (Math.abs(in.size() - exact.size()) > edges) {
                throw new AssertionError(
                        f.name()
                                + " of "
                                + current.payment
                                + ": bucketed count "
                                + in.size()
                                + " is further than the "
                                + edges
                                + " edge-bucket payments from the exact "
                                + exact.size());
            }
        }
        List<Seen> others = in.stream().filter(s -> s != current).toList();
        return switch (f.aggregation()) {
            case COUNT -> (double) in.size();
            case SUM_AMOUNT ->
                    (double) in.stream().mapToLong(s -> s.payment.referenceAmount()).sum();
            case AVG_AMOUNT ->
                    in.isEmpty()
                            ? null
                            : (double) in.stream().mapToLong(s -> s.payment.referenceAmount()).sum()
                                    / in.size();
            case DISTINCT_MERCHANTS -> distinct(in, FeaturePayment::merchant);
            case DISTINCT_COUNTRIES -> distinct(in, FeaturePayment::country);
            case DISTINCT_IPS -> distinct(in, FeaturePayment::ip);
            case DISTINCT_DEVICES -> distinct(in, FeaturePayment::device);
            case DISTINCT_CARDS -> distinct(in, FeaturePayment::card);
            case SECONDS_SINCE_PREVIOUS ->
                    others.stream().mapToLong(Seen::time).max().stream()
                            .mapToObj(prev -> (double) ((t - prev) / 1000))
                            .findFirst()
                            .orElse(null);
            case SECONDS_SINCE_FIRST_SEEN ->
                    (double) ((t - all.stream().mapToLong(Seen::time).min().orElseThrow()) / 1000);
            case DURING_WEEKEND -> {
                DayOfWeek day = Instant.ofEpochMilli(t).atZone(ZoneOffset.UTC).getDayOfWeek();
                yield day == DayOfWeek.SATURDAY || day == DayOfWeek.SUNDAY ? 1.0 : 0.0;
            }
            case DURING_NIGHT ->
                    Instant.ofEpochMilli(t).atZone(ZoneOffset.UTC).getHour() < 7 ? 1.0 : 0.0;
            case AMOUNT_ZSCORE -> zScore(others, current.payment.referenceAmount());
            case AMOUNT_RATIO -> ratio(others, current.payment.referenceAmount());
            case DECLINES -> (double) in.stream().filter(s -> s.declinedAt <= t).count();
            case FRAUD_RATE ->
                    in.isEmpty()
                            ? 0.0
                            : (double) in.stream().filter(s -> s.fraudAt <= t).count() / in.size();
        };
    }

    private static Double ratio(List<Seen> others, long amount) {
        long sum = others.stream().mapToLong(s -> s.payment.referenceAmount()).sum();
        if (others.isEmpty() || sum <= 0) {
            return null;
        }
        return amount / ((double) sum / others.size());
    }

    private static Double zScore(List<Seen> others, long amount) {
        if (others.size() < 2) {
            return null;
        }
        double mean =
                (double) others.stream().mapToLong(s -> s.payment.referenceAmount()).sum()
                        / others.size();
        double variance =
                others.stream()
                                .mapToDouble(s -> Math.pow(s.payment.referenceAmount() - mean, 2))
                                .sum()
                        / others.size();
        if (variance == 0) {
            return null;
        }
        return (amount - mean) / Math.sqrt(variance);
    }

    private static Double distinct(List<Seen> in, Function<FeaturePayment, String> key) {
        Set<String> values = new HashSet<>();
        for (Seen s : in) {
            String v = key.apply(s.payment);
            if (v != null) {
                values.add(v);
            }
        }
        return (double) values.size();
    }

    /** For messages: the vector's names in order. */
    static Map<String, Double> ordered(FeatureCatalogue c, Map<String, Double> v) {
        return new LinkedHashMap<>(c.orderedVector(v));
    }
}
