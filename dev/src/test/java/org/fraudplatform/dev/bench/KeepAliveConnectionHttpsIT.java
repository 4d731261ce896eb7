package org.fraudplatform.dev.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocketFactory;
import org.fraudplatform.api.tls.ClientTls;
import org.fraudplatform.api.tls.ServerTls;
import org.fraudplatform.api.tls.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load generator's connection against an HTTPS server configured as the API's ({@link
 * ServerTls}): it speaks TLS to a server whose certificate it trusts and names, and refuses one
 * whose certificate names another host.
 */
class KeepAliveConnectionHttpsIT {

    @TempDir Path dir;
    HttpsServer server;

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI serve(TestCertificates.Issued issued) throws IOException {
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(
                ServerTls.load(
                                issued.writeCertificate(dir.resolve("cert.pem")),
                                issued.writeKey(dir.resolve("key.pem")),
                                Instant.now())
                        .configurator());
        server.createContext(
                "/echo",
                exchange -> {
                    byte[] body =
                            ("{\"echo\":"
                                            + new String(
                                                    exchange.getRequestBody().readAllBytes(),
                                                    StandardCharsets.UTF_8)
                                            + "}")
                                    .getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(201, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                });
        server.start();
        return URI.create("https://localhost:" + server.getAddress().getPort());
    }

    private SSLSocketFactory trusting(TestCertificates.Issued issued) {
        return ClientTls.trusting(issued.writeCertificate(dir.resolve("trusted.pem")))
                .getSocketFactory();
    }

    @Test
    void shouldPostOverHttpsToAServerWhoseCertificateItTrusts() throws IOException {
        TestCertificates.Issued issued = TestCertificates.localhost();
        URI base = serve(issued);

        try (KeepAliveConnection connection = new KeepAliveConnection(base, trusting(issued))) {
            for (int i = 0; i < 3; i++) {
                KeepAliveConnection.Response response =
                        connection.post("/echo", Map.of(), "{\"n\":" + i + "}");
                assertThat(response.status()).isEqualTo(201);
                assertThat(response.body()).isEqualTo("{\"echo\":{\"n\":" + i + "}}");
            }
        }
    }

    @Test
    void shouldRefuseACertificateThatNamesAnotherHost() throws IOException {
        TestCertificates.Issued elsewhere = TestCertificates.elsewhere();
        URI base = serve(elsewhere);

        try (KeepAliveConnection connection = new KeepAliveConnection(base, trusting(elsewhere))) {
            assertThatThrownBy(() -> connection.post("/echo", Map.of(), "{}"))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("localhost");
        }
    }
}
