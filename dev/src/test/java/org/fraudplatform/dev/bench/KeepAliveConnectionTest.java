package org.fraudplatform.dev.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KeepAliveConnectionTest {

    private HttpServer server;
    private final Set<Object> connectionsSeen = ConcurrentHashMap.newKeySet();
    private final AtomicInteger requests = new AtomicInteger();
    private URI base;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/fixed",
                exchange -> {
                    connectionsSeen.add(exchange.getRemoteAddress());
                    requests.incrementAndGet();
                    byte[] echo = exchange.getRequestBody().readAllBytes();
                    byte[] body =
                            ("{\"echo\":" + new String(echo, StandardCharsets.UTF_8) + "}")
                                    .getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(201, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                });
        server.createContext(
                "/chunked",
                exchange -> {
                    exchange.getRequestBody().readAllBytes();
                    exchange.sendResponseHeaders(200, 0);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write("first part, ".getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        out.write("second part".getBytes(StandardCharsets.UTF_8));
                    }
                });
        server.createContext(
                "/close",
                exchange -> {
                    exchange.getRequestBody().readAllBytes();
                    exchange.getResponseHeaders().add("Connection", "close");
                    byte[] body = "bye".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                });
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void reusesOneConnectionForSuccessiveRequests() throws IOException {
        try (KeepAliveConnection connection = new KeepAliveConnection(base)) {
            for (int i = 0; i < 5; i++) {
                KeepAliveConnection.Response response =
                        connection.post("/fixed", Map.of("X-Test", "yes"), "{\"n\":" + i + "}");
                assertThat(response.status()).isEqualTo(201);
                assertThat(response.body()).isEqualTo("{\"echo\":{\"n\":" + i + "}}");
            }
        }
        assertThat(requests).hasValue(5);
        assertThat(connectionsSeen).hasSize(1);
    }

    @Test
    void readsAChunkedBody() throws IOException {
        try (KeepAliveConnection connection = new KeepAliveConnection(base)) {
            KeepAliveConnection.Response response = connection.post("/chunked", Map.of(), "{}");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("first part, second part");
            assertThat(connection.post("/fixed", Map.of(), "1").body()).isEqualTo("{\"echo\":1}");
        }
    }

    @Test
    void opensANewConnectionAfterTheServerClosedOne() throws IOException {
        try (KeepAliveConnection connection = new KeepAliveConnection(base)) {
            assertThat(connection.post("/close", Map.of(), "{}").body()).isEqualTo("bye");
            assertThat(connection.post("/fixed", Map.of(), "2").body()).isEqualTo("{\"echo\":2}");
            assertThat(connection.post("/fixed", Map.of(), "3").body()).isEqualTo("{\"echo\":3}");
        }
        assertThat(connectionsSeen).hasSize(1);
    }
}
