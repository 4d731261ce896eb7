package org.fraudplatform.platform.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.fraudplatform.dev.bench.AuthorizationLoad;
import org.fraudplatform.dev.bench.KafkaRoundTrip;
import org.fraudplatform.dev.bench.LatencyReport;
import org.fraudplatform.dev.bench.PlatformCounters;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fraud bench}: drives authorizations through a running platform and prints throughput and
 * decision-latency percentiles, next to a bare Kafka round trip through the same broker.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Load generator. Sends authorizations to a running platform at a fixed rate (open"
                    + " loop: latency counts from the planned send time, so a stall is not hidden),"
                    + " then measures a bare Kafka round trip (produce → consume → produce →"
                    + " consume, no processing) through the same broker.",
            "Prints throughput, status counts and p50/p95/p99/p99.9 of both."
        })
public final class BenchCommand implements Callable<Integer> {

    @CommandLine.Mixin ApiOptions api = new ApiOptions();

    @Option(
            names = "--requests",
            defaultValue = "10000",
            description = "Authorizations to send after warm-up. Default: ${DEFAULT-VALUE}")
    int requests;

    @Option(
            names = "--warmup",
            defaultValue = "2000",
            description = "Authorizations sent first and not measured. Default: ${DEFAULT-VALUE}")
    int warmup;

    @Option(
            names = "--rate",
            defaultValue = "500",
            description = "Target authorizations per second. Default: ${DEFAULT-VALUE}")
    int rate;

    @Option(
            names = "--concurrency",
            defaultValue = "128",
            description =
                    "Keep-alive connections, so the most requests in flight at once; a planned"
                            + " request waits for a free connection and that wait counts in its"
                            + " latency. Default: ${DEFAULT-VALUE}")
    int concurrency;

    @Option(
            names = "--cards",
            defaultValue = "20000",
            description =
                    "Distinct cards to spread the load over (few cards trip the velocity rules). Default: ${DEFAULT-VALUE}")
    int cards;

    @Option(
            names = "--bootstrap-servers",
            defaultValue = "127.0.0.1:9092",
            description = "Broker for the bare Kafka round trip. Default: ${DEFAULT-VALUE}")
    String bootstrapServers;

    @Option(
            names = "--kafka-round-trips",
            defaultValue = "10000",
            description =
                    "Bare Kafka round trips to measure (0 skips it). Default: ${DEFAULT-VALUE}")
    int kafkaRoundTrips;

    @Option(
            names = "--client",
            defaultValue = "keepalive",
            description =
                    "HTTP client of the load: keepalive (a fixed pool of --concurrency blocking"
                            + " connections, cheap) or jdk (the JDK's HttpClient, as many"
                            + " connections as requests in flight, a POST never retried: what an"
                            + " ordinary merchant integration sees). Default: ${DEFAULT-VALUE}")
    String client;

    @Option(
            names = "--lifecycle",
            description =
                    "After the authorizations, capture each authorized payment in full and then refund part of it, at the same rate, and report the latency of both (exactly-once ledger).")
    boolean lifecycle;

    @Override
    public Integer call() throws Exception {
        api.trust();
        String key = api.key();
        System.out.printf(
                "Authorizations: %d (+%d warm-up) at %d/s, at most %d in flight, over %d cards, against %s%n",
                requests, warmup, rate, concurrency, cards, api.url);
        AuthorizationLoad.Client kind =
                switch (client) {
                    case "keepalive" -> AuthorizationLoad.Client.KEEPALIVE;
                    case "jdk" -> AuthorizationLoad.Client.JDK;
                    default ->
                            throw new CommandLine.ParameterException(
                                    new CommandLine(this),
                                    "--client is keepalive or jdk, not " + client);
                };
        AuthorizationLoad load =
                new AuthorizationLoad(api.url, key, rate, concurrency, cards, kind);
        load.run(warmup, null);
        PlatformCounters counters = new PlatformCounters(api.url, bootstrapServers);
        PlatformCounters.Snapshot before = counters.read();
        LatencyReport http = load.run(requests, System.out);
        PlatformCounters.Snapshot after = counters.read();
        System.out.println();
        System.out.println(http.format("authorization (HTTP, end to end, " + client + " client)"));
        PlatformCounters.describe(before, after, requests).forEach(System.out::println);
        if (lifecycle) {
            java.util.List<String> ids = load.authorizedPayments();
            System.out.printf("%nCaptures: %d authorized payments at %d/s%n", ids.size(), rate);
            LatencyReport captures = load.commands(ids, "capture", "{}", System.out);
            System.out.println(captures.format("capture (HTTP → ledger → reply, exactly-once)"));
            System.out.printf("%nRefunds: %d at %d/s%n", ids.size(), rate);
            LatencyReport refunds = load.commands(ids, "refunds", "{\"amount\": 100}", System.out);
            System.out.println(refunds.format("refund (HTTP → ledger → reply, exactly-once)"));
        }
        if (kafkaRoundTrips > 0) {
            System.out.printf(
                    "%nBare Kafka round trip: %d at %d/s through %s%n",
                    kafkaRoundTrips, rate, bootstrapServers);
            LatencyReport kafka =
                    KafkaRoundTrip.measure(
                            bootstrapServers, kafkaRoundTrips, rate, Duration.ofMinutes(2));
            System.out.println(kafka.format("kafka round trip (produce→consume→produce→consume)"));
        }
        return 0;
    }
}
