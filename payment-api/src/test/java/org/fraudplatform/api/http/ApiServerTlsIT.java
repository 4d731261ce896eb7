package org.fraudplatform.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.fraudplatform.api.keys.ApiKey;
import org.fraudplatform.api.keys.KeyCheck;
import org.fraudplatform.api.keys.Scope;
import org.fraudplatform.api.tls.ClientTls;
import org.fraudplatform.api.tls.ServerTls;
import org.fraudplatform.api.tls.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API over HTTPS: the real {@link ApiServer} started with a certificate and key the test makes
 * itself (PEM files, read as an operator's would be), the payment flow behind it a stub. A client
 * that trusts the certificate is served; one that does not, a plain-HTTP client and a client that
 * offers only TLS 1.1 are not.
 */
class ApiServerTlsIT {

    static final String KEY = "sk_test_tls";

    @TempDir static Path dir;
    static Path certificate;
    static ApiServer server;
    static URI base;
    static HttpClient trusting;

    @BeforeAll
    static void start() throws IOException {
        TestCertificates.Issued issued = TestCertificates.localhost();
        certificate = issued.writeCertificate(dir.resolve("cert.pem"));
        Path key = issued.writeKey(dir.resolve("key.pem"));
        server =
                ApiServer.start(
                        new InetSocketAddress("127.0.0.1", 0),
                        ServerTls.load(certificate, key, Instant.now()),
                        2,
                        new ApiServerSecurityIT.StubPayments(),
                        ApiServerTlsIT::check,
                        () -> Map.of("api", true),
                        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                        null,
                        null,
                        64,
                        Duration.ZERO);
        server.serve(new TlsProbe());
        base = URI.create("https://localhost:" + server.address().getPort());
        trusting =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .sslContext(ClientTls.trusting(certificate))
                        .connectTimeout(Duration.ofSeconds(5))
                        .build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void shouldServeAClientThatTrustsTheCertificateOverTls12Or13() throws Exception {
        HttpResponse<String> health =
                trusting.send(
                        HttpRequest.newBuilder(base.resolve("/health")).build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(server.https()).isTrue();
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"up\"");
        assertThat(health.sslSession()).isPresent();
        assertThat(health.sslSession().get().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
    }

    @Test
    void shouldTakeAPaymentWithItsBodyOverHttps() throws Exception {
        HttpResponse<String> created =
                trusting.send(
                        HttpRequest.newBuilder(base.resolve("/v1/payments"))
                                .header("Authorization", "Bearer " + KEY)
                                .header("Idempotency-Key", "k-1")
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"amount\": 100}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(created.body()).isEqualTo("{\"merchant\":\"shop\"}");
    }

    @Test
    void shouldTellAResourceThatItsRequestCameOverTls() throws Exception {
        HttpResponse<String> probe =
                trusting.send(
                        HttpRequest.newBuilder(base.resolve(TlsProbe.PATH)).build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(probe.body()).isEqualTo("{\"over_tls\":true}");
    }

    @Test
    void shouldRefuseTheHandshakeOfAClientThatDoesNotTrustTheCertificate() {
        HttpClient jdkAuthoritiesOnly =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        assertThatThrownBy(
                        () ->
                                jdkAuthoritiesOnly.send(
                                        HttpRequest.newBuilder(base.resolve("/health")).build(),
                                        HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void shouldGiveNoHttpReplyToPlainHttpOnItsPort() throws IOException {
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        try (Socket socket = new Socket("127.0.0.1", server.address().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream()
                    .write(
                            "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n"
                                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                reply.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server neither answered nor closed the connection", e);
        } catch (SocketException e) {
            // reset by the server: no reply either
        }

        assertThat(reply.toString(StandardCharsets.ISO_8859_1)).doesNotStartWith("HTTP/");
    }

    @Test
    void shouldRefuseAClientThatOffersOnlyTls11() throws Exception {
        // TLS 1.0 and 1.1 are disabled in the JDK's java.security since 16, for clients and
        // servers alike; the probe runs in a JVM of its own with them enabled, so that it really
        // offers TLS 1.1 and the refusal comes from this server
        Path security =
                Files.writeString(
                        dir.resolve("java.security"),
                        "jdk.tls.disabledAlgorithms=SSLv3, RC4, DES, MD5withRSA,"
                                + " DH keySize < 1024, EC keySize < 224, 3DES_EDE_CBC, anon, NULL\n");
        Process probe =
                new ProcessBuilder(
                                List.of(
                                        Path.of(System.getProperty("java.home"), "bin", "java")
                                                .toString(),
                                        "-Djava.security.properties=" + security,
                                        "-cp",
                                        System.getProperty("java.class.path"),
                                        Tls11Probe.class.getName(),
                                        "localhost",
                                        Integer.toString(server.address().getPort()),
                                        certificate.toString()))
                        .redirectErrorStream(true)
                        .start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(probe.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assumeThat(output)
                .as("this JDK lets a client offer TLS 1.1 when java.security allows it")
                .doesNotContain("No appropriate protocol");
        List<String> handshakes = output.lines().toList();
        assertThat(handshakes)
                .as("the same client is served with TLS 1.2, and refused with TLS 1.1 only")
                .hasSize(2);
        assertThat(handshakes.get(0)).isEqualTo("TLSv1.2: negotiated TLSv1.2");
        assertThat(handshakes.get(1)).startsWith("TLSv1.1: refused: ");
    }

    private static KeyCheck check(String key, boolean mayQueryDatabase) {
        if (!KEY.equals(key)) {
            return new KeyCheck(KeyCheck.Status.UNKNOWN, null, null);
        }
        return new KeyCheck(
                KeyCheck.Status.VALID,
                new ApiKey(
                        "key_tls",
                        "shop",
                        KEY.substring(0, 7),
                        null,
                        Scope.all(),
                        null,
                        Instant.EPOCH,
                        null,
                        null,
                        "test"),
                null);
    }

    /** Answers whether the request came over TLS, as {@link Requests#overTls} sees it. */
    static final class TlsProbe implements Resource {
        static final String PATH = "/test/over-tls";

        @Override
        public boolean owns(String path) {
            return path.equals(PATH);
        }

        @Override
        public Routed handle(
                com.sun.net.httpserver.HttpExchange exchange, String method, String path) {
            return Routed.of(
                    "test",
                    HttpReply.json(
                            200,
                            ("{\"over_tls\":" + Requests.overTls(exchange) + "}")
                                    .getBytes(StandardCharsets.UTF_8)));
        }
    }
}
