package org.fraudplatform.features;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The feature update + read of one payment for one entity, as the risk topology does it per event:
 * decode the entity's stored bytes, record the payment and compute the entity's features, encode
 * the bytes again (RocksDB's own get/put come on top). The entity holds a steady number of payments
 * in its windows: {@code held} (a card paying twice a day holds about 60 in 30 days; a busy
 * terminal thousands in its 37-day lagged window).
 *
 * <p>Run: {@code bin/jmh features FeatureBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FeatureBenchmark {

    @Param({"60", "1000"})
    int held;

    @Param({"CARD", "MERCHANT"})
    Entity entity;

    private final FeatureCatalogue catalogue = FeatureCatalogue.standard();
    private byte[] stored;
    private EntityHistory inMemory;
    private long clock;
    private long step;
    private long sequence;

    @Setup(Level.Trial)
    public void fill() {
        long lookback = catalogue.retention(entity).minus(catalogue.grace()).toMillis();
        step = lookback / held;
        clock = 1_767_261_600_000L;
        inMemory = EntityHistory.empty();
        for (int i = 0; i < held * 2; i++) {
            inMemory.record(next(), entity, catalogue);
        }
        stored = inMemory.toBytes();
    }

    private FeaturePayment next() {
        clock += step;
        sequence++;
        return new FeaturePayment(
                "pay_" + sequence,
                clock,
                1_000 + sequence % 9_000,
                "card-" + sequence % 7,
                "m-1/customer-" + sequence % 5,
                "email-" + sequence % 5,
                "198.51.100." + sequence % 11,
                "device-" + sequence % 13,
                "terminal-" + sequence % 3,
                sequence % 4 == 0 ? "FR" : "DE",
                null);
    }

    /** What one state-store round does per event: bytes → history → record → bytes. */
    @Benchmark
    public byte[] updateAndReadThroughBytes() {
        EntityHistory h = EntityHistory.fromBytes(stored);
        Map<String, Double> features = h.record(next(), entity, catalogue);
        stored = h.toBytes();
        if (features.isEmpty()) {
            throw new IllegalStateException();
        }
        return stored;
    }

    /** The computation alone, state kept as objects (what a heap state backend would do). */
    @Benchmark
    public Map<String, Double> updateAndReadInMemory() {
        return inMemory.record(next(), entity, catalogue);
    }
}
