package org.fraudplatform.dev.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * What a run cost the platform: the platform process's CPU time (from its Prometheus {@code
 * process_cpu_time_ns_total}) and the records appended to every topic of the broker (the sum of the
 * partitions' end offsets, internal topics included: consumer offsets and transaction state are
 * records too; transaction markers take an offset each). Two snapshots, before and after a run,
 * give the cost per payment.
 */
public final class PlatformCounters {

    /** One reading: CPU nanoseconds (negative when unknown) and end offsets per topic. */
    public record Snapshot(long cpuNanos, Map<String, Long> endOffsets) {}

    private final URI metrics;
    private final String bootstrapServers;
    private final HttpClient http =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();

    public PlatformCounters(String apiUrl, String bootstrapServers) {
        this.metrics = URI.create(apiUrl.replaceAll("/+$", "") + "/metrics");
        this.bootstrapServers = bootstrapServers;
    }

    public Snapshot read() {
        return new Snapshot(cpuNanos(), endOffsets());
    }

    /** The platform's CPU time in ns, or -1 when its metrics do not say. */
    long cpuNanos() {
        try {
            HttpResponse<String> response =
                    http.send(
                            HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.ofString());
            return cpuNanosFrom(response.body());
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Reads {@code process_cpu_time_ns_total} from a Prometheus exposition; -1 when absent. */
    static long cpuNanosFrom(String exposition) {
        for (String line : exposition.split("\n")) {
            if (line.startsWith("process_cpu_time_ns_total")) {
                String value = line.substring(line.lastIndexOf(' ') + 1).trim();
                return (long) Double.parseDouble(value);
            }
        }
        return -1;
    }

    private Map<String, Long> endOffsets() {
        try (Admin admin =
                Admin.create(
                        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            var names =
                    admin.listTopics(new ListTopicsOptions().listInternal(true))
                            .names()
                            .get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> query = new HashMap<>();
            admin.describeTopics(names)
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS)
                    .forEach(
                            (name, description) ->
                                    description
                                            .partitions()
                                            .forEach(
                                                    p ->
                                                            query.put(
                                                                    new TopicPartition(
                                                                            name, p.partition()),
                                                                    OffsetSpec.latest())));
            Map<String, Long> perTopic = new TreeMap<>();
            admin.listOffsets(query)
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .forEach((tp, info) -> perTopic.merge(tp.topic(), info.offset(), Long::sum));
            return perTopic;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            System.out.println("  (could not read the broker's offsets: " + e.getMessage() + ")");
            return Map.of();
        }
    }

    /**
     * The cost of {@code payments} payments between two snapshots, as lines to print: CPU per
     * payment and records per payment, in all and for the busiest topics.
     */
    public static List<String> describe(Snapshot before, Snapshot after, int payments) {
        List<String> lines = new java.util.ArrayList<>();
        if (before.cpuNanos() >= 0 && after.cpuNanos() >= 0 && payments > 0) {
            double cpuMillis = (after.cpuNanos() - before.cpuNanos()) / 1e6;
            lines.add(
                    String.format(
                            "  platform CPU %.1f s for %d payments: %.3f ms per payment",
                            cpuMillis / 1000, payments, cpuMillis / payments));
        } else {
            lines.add("  platform CPU: unknown (no process_cpu_time_ns_total on /metrics)");
        }
        Map<String, Long> delta = new TreeMap<>();
        after.endOffsets()
                .forEach(
                        (topic, end) -> {
                            long d = end - before.endOffsets().getOrDefault(topic, 0L);
                            if (d > 0) {
                                delta.put(topic, d);
                            }
                        });
        long total = delta.values().stream().mapToLong(Long::longValue).sum();
        if (payments > 0 && !delta.isEmpty()) {
            lines.add(
                    String.format(
                            "  records through the broker: %.2f per payment (%d in all)",
                            (double) total / payments, total));
            delta.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(
                            e ->
                                    lines.add(
                                            String.format(
                                                    "    %-40s %6.2f",
                                                    e.getKey(), (double) e.getValue() / payments)));
        }
        return lines;
    }
}
