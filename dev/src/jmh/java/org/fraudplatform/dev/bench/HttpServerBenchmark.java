package org.fraudplatform.dev.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The HTTP server under the API, measured before it is chosen: the JDK's {@code HttpServer} (what
 * the API runs on) against Jetty 12 behind the same {@code com.sun.net.httpserver} API ({@code
 * jetty-http-spi}, with its own thread pool), the same handler on both (read a payment-sized body,
 * answer 201 with a payment-sized JSON), called over the loopback by the load generator's blocking
 * client: on one keep-alive connection per thread, and with a new connection per request (what a
 * client without a pool, or a pool that lost its connections, costs the server's accept path).
 *
 * <p>{@code bin/jmh dev HttpServerBenchmark}. The time per request includes the client's, which is
 * the same for both servers: the difference between them is the servers'.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(
        value = 1,
        jvmArgs = {
            "-Xmx512m",
            "-Dsun.net.httpserver.nodelay=true",
            // HttpServer.create is the JDK's own server; Jetty's is made by its provider below
            "-Dcom.sun.net.httpserver.HttpServerProvider=sun.net.httpserver.DefaultHttpServerProvider"
        })
@Threads(8)
public class HttpServerBenchmark {

    private static final String BODY =
            "{\"amount\": 2500, \"currency\": \"EUR\", \"payment_method\": {\"type\": \"card\","
                    + " \"card\": {\"number\": \"4242424242424242\", \"exp_month\": 12,"
                    + " \"exp_year\": 2030, \"cvc\": \"123\"}}, \"customer\": {\"id\": \"cus_1\","
                    + " \"email\": \"a@example.com\", \"ip\": \"203.0.113.7\"}, \"reference\":"
                    + " \"order-1001\"}";
    private static final byte[] REPLY =
            ("{\"id\":\"pay_0123456789abcdef\",\"object\":\"payment\",\"status\":\"captured\","
                            + "\"amount\":2500,\"currency\":\"EUR\",\"capture_method\":\"automatic\","
                            + "\"payment_method\":{\"type\":\"card\",\"card\":{\"brand\":\"visa\","
                            + "\"last4\":\"4242\"}},\"risk\":{\"action\":\"approve\",\"score\":0.0,"
                            + "\"reasons\":[]},\"provider\":\"simulated-a\"}")
                    .getBytes(StandardCharsets.UTF_8);
    private static final Map<String, String> HEADERS =
            Map.of("Content-Type", "application/json", "Idempotency-Key", "k");

    @Param({"jdk", "jetty"})
    String server;

    private HttpServer http;
    private ExecutorService executor;
    URI base;

    @Setup(Level.Trial)
    public void start() throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (server.equals("jdk")) {
            http = HttpServer.create(address, 1024);
            executor = Executors.newFixedThreadPool(16);
            http.setExecutor(executor);
        } else {
            // Jetty runs its acceptor and selectors on its own pool: given the API's bounded pool
            // instead, they would take its threads
            http =
                    new org.eclipse.jetty.http.spi.JettyHttpServerProvider()
                            .createHttpServer(address, 1024);
        }
        http.createContext("/", HttpServerBenchmark::handle);
        http.start();
        base = URI.create("http://127.0.0.1:" + http.getAddress().getPort());
    }

    @TearDown(Level.Trial)
    public void stop() {
        http.stop(0);
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private static void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(201, REPLY.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(REPLY);
            }
        }
    }

    /** One client connection per benchmark thread. */
    @State(Scope.Thread)
    public static class Client {
        KeepAliveConnection connection;

        @Setup(Level.Trial)
        public void open(HttpServerBenchmark bench) {
            connection = new KeepAliveConnection(bench.base);
        }

        @TearDown(Level.Trial)
        public void close() {
            connection.close();
        }
    }

    @Benchmark
    public int keepAlive(Client client) throws IOException {
        return client.connection.post("/v1/payments", HEADERS, BODY).status();
    }

    @Benchmark
    public int newConnectionEach() throws IOException {
        try (KeepAliveConnection fresh = new KeepAliveConnection(base)) {
            return fresh.post("/v1/payments", HEADERS, BODY).status();
        }
    }
}
