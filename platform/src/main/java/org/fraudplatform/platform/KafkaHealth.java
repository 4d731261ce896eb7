package org.fraudplatform.platform;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.fraudplatform.runtime.KafkaConnection;

/**
 * Whether the Kafka cluster answers, asked at most once per {@code maxAge} so a busy health
 * endpoint does not load the broker.
 */
final class KafkaHealth implements AutoCloseable {

    private final Admin admin;
    private final long maxAgeNanos;
    private volatile long checkedAt;
    private volatile boolean reachable;

    KafkaHealth(KafkaConnection kafka, Duration maxAge) {
        Map<String, Object> config = kafka.map();
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000);
        this.admin = Admin.create(config);
        this.maxAgeNanos = maxAge.toNanos();
        this.checkedAt = System.nanoTime() - maxAgeNanos - 1;
    }

    synchronized boolean reachable() {
        if (System.nanoTime() - checkedAt > maxAgeNanos) {
            try {
                admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000))
                        .clusterId()
                        .get(3, TimeUnit.SECONDS);
                reachable = true;
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                reachable = false;
            }
            checkedAt = System.nanoTime();
        }
        return reachable;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
