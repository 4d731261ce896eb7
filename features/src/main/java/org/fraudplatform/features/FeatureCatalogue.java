package org.fraudplatform.features;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one definition of every feature, used by the online topology, the offline backfill, the rules
 * and the models. Plain Java: no Kafka or Flink types.
 *
 * <p>Beside the definitions the catalogue fixes the two numbers that make state finite:
 *
 * <ul>
 *   <li><b>grace</b>: how far behind the newest payment of an entity a payment may arrive and still
 *       be computed exactly; a later one is refused ({@link LateEventException}) and goes to the
 *       dead-letter topic;
 *   <li><b>retention</b> per entity: its longest lookback plus the grace. A stored payment older
 *       than the entity's newest minus the retention can no longer fall into any window of any
 *       payment still accepted, so it is dropped; an entity idle for longer than its retention has
 *       nothing left that could affect a feature, so its whole state goes, and it starts over
 *       (first seen anew).
 * </ul>
 */
public final class FeatureCatalogue implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    /** Label delay of the standard catalogue: frauds become known about a week later. */
    public static final Duration DEFAULT_LABEL_DELAY = Duration.ofDays(7);

    /**
     * Bucket of the merchant in the standard catalogue: a busy merchant's 37-day windows cannot
     * keep every payment's time.
     */
    public static final Duration MERCHANT_BUCKET = Duration.ofMinutes(10);

    /** Grace of the standard catalogue for out-of-order payments. */
    public static final Duration DEFAULT_GRACE = Duration.ofMinutes(5);

    private static final List<Duration> CARD_WINDOWS =
            List.of(
                    Duration.ofMinutes(10),
                    Duration.ofHours(1),
                    Duration.ofDays(1),
                    Duration.ofDays(7),
                    Duration.ofDays(30));
    private static final List<Duration> MERCHANT_WINDOWS =
            List.of(Duration.ofDays(1), Duration.ofDays(7), Duration.ofDays(30));

    private final List<FeatureDefinition> features;
    private final Map<Entity, List<FeatureDefinition>> byEntity;
    private final Map<Entity, Duration> retention;
    private final Map<Entity, Duration> buckets;
    private final Duration labelDelay;
    private final Duration grace;
    private final String hash;
    private final Map<String, Integer> positions;

    private FeatureCatalogue(
            List<FeatureDefinition> features,
            Duration labelDelay,
            Duration grace,
            Map<Entity, Duration> buckets) {
        this.features = List.copyOf(features);
        Map<Entity, Duration> bucketed = new EnumMap<>(Entity.class);
        for (Entity entity : Entity.values()) {
            bucketed.put(entity, buckets.getOrDefault(entity, Duration.ZERO));
        }
        this.buckets = Collections.unmodifiableMap(bucketed);
        this.labelDelay = labelDelay;
        this.grace = grace;
        Map<Entity, List<FeatureDefinition>> grouped = new EnumMap<>(Entity.class);
        Map<Entity, Duration> kept = new EnumMap<>(Entity.class);
        for (Entity entity : Entity.values()) {
            grouped.put(entity, new ArrayList<>());
            kept.put(entity, grace);
        }
        for (FeatureDefinition f : this.features) {
            grouped.get(f.entity()).add(f);
            Duration needed = f.lookback().plus(grace);
            if (needed.compareTo(kept.get(f.entity())) > 0) {
                kept.put(f.entity(), needed);
            }
        }
        grouped.replaceAll((e, list) -> List.copyOf(list));
        this.byEntity = Collections.unmodifiableMap(grouped);
        this.retention = Collections.unmodifiableMap(kept);
        long distinct = this.features.stream().map(FeatureDefinition::name).distinct().count();
        if (distinct != this.features.size()) {
            throw new IllegalArgumentException("feature names must be unique");
        }
        for (FeatureDefinition f : this.features) {
            checkBucketable(f, bucket(f.entity()));
        }
        this.hash = computeHash();
        Map<String, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < this.features.size(); i++) {
            index.put(this.features.get(i).name(), i);
        }
        this.positions = Collections.unmodifiableMap(index);
    }

    /**
     * The standard catalogue with the default label delay (7 d), grace (5 min) and merchant bucket
     * (10 min).
     */
    public static FeatureCatalogue standard() {
        return standard(DEFAULT_LABEL_DELAY, DEFAULT_GRACE);
    }

    /** The standard catalogue with the default merchant bucket (10 min). */
    public static FeatureCatalogue standard(Duration labelDelay, Duration grace) {
        return standard(labelDelay, grace, MERCHANT_BUCKET);
    }

    /**
     * The standard catalogue.
     *
     * @param labelDelay how long after a payment its fraud label is taken to be known; the merchant
     *     fraud-rate features look back from t minus this lag
     * @param grace how late a payment may arrive behind its entity's newest
     * @param merchantBucket the merchant's time bucket; zero keeps every merchant payment (exact
     *     windows, state linear in the merchant's volume: for history with small merchants, such as
     *     the handbook's terminals)
     */
    public static FeatureCatalogue standard(
            Duration labelDelay, Duration grace, Duration merchantBucket) {
        if (labelDelay.isNegative() || labelDelay.isZero()) {
            throw new IllegalArgumentException("label delay must be positive");
        }
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative");
        }
        List<FeatureDefinition> f = new ArrayList<>();
        for (Duration w : CARD_WINDOWS) {
            String n = Durations.format(w);
            f.add(windowed("card_count_" + n, Entity.CARD, Aggregation.COUNT, w));
            f.add(windowed("card_sum_amount_" + n, Entity.CARD, Aggregation.SUM_AMOUNT, w));
            f.add(windowed("card_avg_amount_" + n, Entity.CARD, Aggregation.AVG_AMOUNT, w));
        }
        Duration day = Duration.ofDays(1);
        f.add(
                windowed(
                        "card_distinct_merchants_1d",
                        Entity.CARD,
                        Aggregation.DISTINCT_MERCHANTS,
                        day));
        f.add(
                windowed(
                        "card_distinct_countries_1d",
                        Entity.CARD,
                        Aggregation.DISTINCT_COUNTRIES,
                        day));
        f.add(windowed("card_distinct_ips_1d", Entity.CARD, Aggregation.DISTINCT_IPS, day));
        f.add(windowed("card_distinct_devices_1d", Entity.CARD, Aggregation.DISTINCT_DEVICES, day));
        f.add(
                windowed(
                        "card_seconds_since_last_payment",
                        Entity.CARD,
                        Aggregation.SECONDS_SINCE_PREVIOUS,
                        Duration.ofDays(30)));
        f.add(
                windowed(
                        "card_amount_zscore_30d",
                        Entity.CARD,
                        Aggregation.AMOUNT_ZSCORE,
                        Duration.ofDays(30)));
        for (Duration w : List.of(day, Duration.ofDays(7), Duration.ofDays(30))) {
            f.add(
                    windowed(
                            "card_amount_ratio_" + Durations.format(w),
                            Entity.CARD,
                            Aggregation.AMOUNT_RATIO,
                            w));
        }
        // the amount against the card's payments of the 30 days before its last 14: a stolen
        // card's inflated payments (scenario 3 of the handbook: up to 14 days) do not dilute
        // that history as they dilute the unlagged windows
        Duration before = Duration.ofDays(14);
        f.add(
                new FeatureDefinition(
                        "card_amount_ratio_30d_lag14d",
                        Entity.CARD,
                        Aggregation.AMOUNT_RATIO,
                        Duration.ofDays(30),
                        before));
        f.add(
                new FeatureDefinition(
                        "card_amount_zscore_30d_lag14d",
                        Entity.CARD,
                        Aggregation.AMOUNT_ZSCORE,
                        Duration.ofDays(30),
                        before));
        f.add(
                instant(
                        "card_seconds_since_first_seen",
                        Entity.CARD,
                        Aggregation.SECONDS_SINCE_FIRST_SEEN));
        f.add(windowed("card_declines_1h", Entity.CARD, Aggregation.DECLINES, Duration.ofHours(1)));
        f.add(instant("during_weekend", Entity.CARD, Aggregation.DURING_WEEKEND));
        f.add(instant("during_night", Entity.CARD, Aggregation.DURING_NIGHT));
        for (Entity e : List.of(Entity.CUSTOMER, Entity.EMAIL, Entity.IP, Entity.DEVICE)) {
            f.add(windowed(e.prefix() + "_count_1h", e, Aggregation.COUNT, Duration.ofHours(1)));
            f.add(windowed(e.prefix() + "_count_1d", e, Aggregation.COUNT, day));
            f.add(windowed(e.prefix() + "_distinct_cards_1d", e, Aggregation.DISTINCT_CARDS, day));
        }
        for (Duration w : MERCHANT_WINDOWS) {
            f.add(
                    windowed(
                            "merchant_count_" + Durations.format(w),
                            Entity.MERCHANT,
                            Aggregation.COUNT,
                            w));
        }
        String lag = "_lag" + Durations.format(labelDelay);
        for (Duration w : MERCHANT_WINDOWS) {
            f.add(
                    new FeatureDefinition(
                            "merchant_count_" + Durations.format(w) + lag,
                            Entity.MERCHANT,
                            Aggregation.COUNT,
                            w,
                            labelDelay));
        }
        for (Duration w : MERCHANT_WINDOWS) {
            f.add(
                    new FeatureDefinition(
                            "merchant_fraud_rate_" + Durations.format(w) + lag,
                            Entity.MERCHANT,
                            Aggregation.FRAUD_RATE,
                            w,
                            labelDelay));
        }
        return new FeatureCatalogue(f, labelDelay, grace, Map.of(Entity.MERCHANT, merchantBucket));
    }

    /** A catalogue of the given definitions, every entity exact (tests, experiments). */
    public static FeatureCatalogue of(
            List<FeatureDefinition> features, Duration labelDelay, Duration grace) {
        return new FeatureCatalogue(features, labelDelay, grace, Map.of());
    }

    /** A catalogue of the given definitions, the given entities counted in time buckets. */
    public static FeatureCatalogue of(
            List<FeatureDefinition> features,
            Duration labelDelay,
            Duration grace,
            Map<Entity, Duration> buckets) {
        return new FeatureCatalogue(features, labelDelay, grace, buckets);
    }

    private static void checkBucketable(FeatureDefinition f, Duration bucket) {
        if (bucket.isZero()) {
            return;
        }
        if (bucket.isNegative()) {
            throw new IllegalArgumentException(f.entity() + ": bucket must be positive");
        }
        switch (f.aggregation()) {
            case COUNT,
                    SUM_AMOUNT,
                    AVG_AMOUNT,
                    FRAUD_RATE,
                    SECONDS_SINCE_FIRST_SEEN,
                    DURING_WEEKEND,
                    DURING_NIGHT -> {}
            default ->
                    throw new IllegalArgumentException(
                            f.name()
                                    + ": "
                                    + f.aggregation()
                                    + " needs every payment; "
                                    + f.entity().prefix()
                                    + " is counted in buckets");
        }
        long g = bucket.toMillis();
        if (f.window().toMillis() % g != 0 || f.lag().toMillis() % g != 0) {
            throw new IllegalArgumentException(
                    f.name()
                            + ": window and lag must be whole buckets of "
                            + Durations.format(bucket));
        }
    }

    private static FeatureDefinition windowed(
            String name, Entity entity, Aggregation aggregation, Duration window) {
        return new FeatureDefinition(name, entity, aggregation, window, Duration.ZERO);
    }

    private static FeatureDefinition instant(String name, Entity entity, Aggregation aggregation) {
        return new FeatureDefinition(name, entity, aggregation, Duration.ZERO, Duration.ZERO);
    }

    /** Every feature, in the catalogue's order (the column order of the backfill). */
    public List<FeatureDefinition> features() {
        return features;
    }

    /** The names of every feature, in order. */
    public List<String> names() {
        return features.stream().map(FeatureDefinition::name).toList();
    }

    /** A feature's position in {@link #features()}, or -1 for a name the catalogue lacks. */
    public int indexOf(String name) {
        return positions.getOrDefault(name, -1);
    }

    /** The features of one entity, in catalogue order. */
    public List<FeatureDefinition> features(Entity entity) {
        return byEntity.get(entity);
    }

    /** Entities that have at least one feature. */
    public List<Entity> entities() {
        return byEntity.entrySet().stream()
                .filter(e -> !e.getValue().isEmpty())
                .map(Map.Entry::getKey)
                .toList();
    }

    /** The entity's time bucket, or zero when every payment is kept (exact). */
    public Duration bucket(Entity entity) {
        return buckets.get(entity);
    }

    /** How long one entity's payments are kept: its longest lookback plus the grace. */
    public Duration retention(Entity entity) {
        return retention.get(entity);
    }

    public Duration labelDelay() {
        return labelDelay;
    }

    public Duration grace() {
        return grace;
    }

    /**
     * SHA-256 over every definition and the grace: models record it, and a model trained on another
     * catalogue is refused.
     */
    public String hash() {
        return hash;
    }

    private String computeHash() {
        StringBuilder canonical = new StringBuilder("grace=").append(grace.toMillis()).append('\n');
        buckets.forEach(
                (entity, bucket) ->
                        canonical
                                .append("bucket|")
                                .append(entity)
                                .append('|')
                                .append(bucket.toMillis())
                                .append('\n'));
        for (FeatureDefinition f : features) {
            canonical
                    .append(f.name())
                    .append('|')
                    .append(f.entity())
                    .append('|')
                    .append(f.aggregation())
                    .append('|')
                    .append(f.window().toMillis())
                    .append('|')
                    .append(f.lag().toMillis())
                    .append('\n');
        }
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    /**
     * The catalogue as Markdown: what {@code fraud features list} prints and docs/features.md
     * holds.
     */
    public String toMarkdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Feature catalogue\n\n")
                .append("Generated from the standard catalogue by `bin/fraud features list")
                .append(" --markdown`; do not edit by hand.\n\n")
                .append("- ")
                .append(features.size())
                .append(" features, catalogue hash `")
                .append(hash, 0, 12)
                .append("`.\n")
                .append("- Windows are in event time. A window of N over a payment at t covers")
                .append(" (t − N, t] and includes the payment; lagged windows cover")
                .append(" (t − L − N, t − L]. Day windows are 24 h. Exact, except for entities")
                .append(" counted in time buckets, which say so in their section.\n")
                .append("- Label delay L = ")
                .append(Durations.format(labelDelay))
                .append(": fraud labels count only once known (`known at ≤ t`).\n")
                .append("- Grace for out-of-order payments: ")
                .append(grace.isZero() ? "none" : Durations.format(grace))
                .append("; later ones go to the dead-letter topic.\n")
                .append("- Amounts are in minor units of the reference currency (EUR cents with")
                .append(
                        " the packaged rate table), converted from each payment's currency where it")
                .append(" comes in, online and in the backfill alike.\n")
                .append("- Absent values (no previous payment, too little history) are left out,")
                .append(" never filled with a placeholder; the backfill writes an empty cell.\n\n");
        for (Entity entity : entities()) {
            md.append("## ")
                    .append(entity.prefix())
                    .append(" (")
                    .append(entity.description())
                    .append("; state kept ")
                    .append(Durations.format(retention(entity)))
                    .append(")\n\n");
            if (!bucket(entity).isZero()) {
                String g = Durations.format(bucket(entity));
                md.append("Counted in ")
                        .append(g)
                        .append(" buckets (b(x) = ⌊x / ")
                        .append(g)
                        .append("⌋): a window (lo, hi] counts the payments whose bucket lies in")
                        .append(" (b(lo), b(hi)]. It differs from the exact window by at most the")
                        .append(" payments of its two edge buckets; state is bounded by the")
                        .append(" retention / ")
                        .append(g)
                        .append(" whatever the volume.\n\n");
            }
            md.append("| feature | window | value |\n| --- | --- | --- |\n");
            for (FeatureDefinition f : features(entity)) {
                md.append("| `")
                        .append(f.name())
                        .append("` | ")
                        .append(f.windowSemantics())
                        .append(" | ")
                        .append(f.aggregation().description())
                        .append(" |\n");
            }
            md.append('\n');
        }
        return md.toString();
    }

    /** The given values in catalogue order, names the catalogue lacks left out. */
    public Map<String, Double> orderedVector(Map<String, Double> values) {
        Map<String, Double> ordered = new LinkedHashMap<>();
        for (FeatureDefinition f : features) {
            Double v = values.get(f.name());
            if (v != null) {
                ordered.put(f.name(), v);
            }
        }
        return ordered;
    }
}
