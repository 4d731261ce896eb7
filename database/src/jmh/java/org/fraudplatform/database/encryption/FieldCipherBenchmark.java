package org.fraudplatform.database.encryption;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What the encryption at rest costs: {@link #contactOfAnAuthorization} is what every authorization
 * with a customer contact pays before its idempotency reservation ({@code ContactAlongside}: the
 * e-mail and the phone encrypted); the others are one value each, as the notifier and the webhook
 * sender pay them. The data key is in memory (after the first use it always is), so this is the
 * cryptography alone.
 *
 * <p>Run: {@code bin/jmh database FieldCipherBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FieldCipherBenchmark {

    private static final String EMAIL_COLUMN = "payment_contacts.email";
    private static final String PHONE_COLUMN = "payment_contacts.phone";
    private static final String EMAIL = "ada.lovelace@example.com";
    private static final String PHONE = "+4915112345678";

    private FieldCipher cipher;
    private String storedEmail;

    @Setup
    public void keys() {
        Map<Integer, byte[]> keys = new TreeMap<>();
        cipher =
                new FieldCipher(
                        new FieldCipher.DataKeys() {
                            @Override
                            public synchronized Map<Integer, byte[]> all() {
                                return new TreeMap<>(keys);
                            }

                            @Override
                            public synchronized void addIfAbsent(int id, byte[] wrapped) {
                                keys.putIfAbsent(id, wrapped);
                            }
                        },
                        new byte[32]);
        storedEmail = cipher.encrypt(EMAIL_COLUMN, EMAIL);
    }

    @Benchmark
    public void contactOfAnAuthorization(Blackhole out) {
        out.consume(cipher.encrypt(EMAIL_COLUMN, EMAIL));
        out.consume(cipher.encrypt(PHONE_COLUMN, PHONE));
    }

    @Benchmark
    public String encryptOneValue() {
        return cipher.encrypt(EMAIL_COLUMN, EMAIL);
    }

    @Benchmark
    public String decryptOneValue() {
        return cipher.decrypt(EMAIL_COLUMN, storedEmail);
    }

    @Benchmark
    public String blindIndex() {
        return cipher.blindIndex("customer_notifications.recipient", EMAIL);
    }
}
