package org.fraudplatform.workers.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One POST over a connection to the checked address, against receivers on the loopback interface.
 * The TLS receiver's certificate is for {@code hooks.shop.test}, a name only this test's resolver
 * knows: a request that arrives went to the address the check answered, while the {@code Host}
 * header, the TLS server name and the certificate check used the URL's name.
 */
class PinnedPostTest {

    static final String NAME = "hooks.shop.test";
    static final char[] PASSWORD = "changeit".toCharArray();
    static final InetAddress LOOPBACK = loopback();

    /** One request as the TLS receiver saw it. */
    record Received(
            String host, List<String> serverNames, String target, String deliveryId, byte[] body) {}

    @TempDir static Path dir;
    static HttpsServer receiver;
    static SSLSocketFactory trustingTheReceiver;
    static final List<Received> received = new CopyOnWriteArrayList<>();

    /** Private destinations allowed (the receivers are on loopback); names resolve to 127.0.0.1. */
    final WebhookDestinations destinations =
            new WebhookDestinations(
                    true,
                    host -> {
                        if (host.endsWith(".shop.test")) {
                            return new InetAddress[] {LOOPBACK};
                        }
                        throw new UnknownHostException(host);
                    });

    final PinnedPost post = new PinnedPost(trustingTheReceiver);

    @BeforeAll
    static void start() throws Exception {
        KeyStore keys = selfSigned(NAME);
        KeyManagerFactory km = KeyManagerFactory.getInstance("PKIX");
        km.init(keys, PASSWORD);
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(km.getKeyManagers(), null, null);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry(NAME, keys.getCertificate("endpoint"));
        TrustManagerFactory tm = TrustManagerFactory.getInstance("PKIX");
        tm.init(trusted);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tm.getTrustManagers(), null);
        trustingTheReceiver = client.getSocketFactory();

        receiver = HttpsServer.create(new InetSocketAddress(LOOPBACK, 0), 16);
        receiver.setHttpsConfigurator(new HttpsConfigurator(server));
        receiver.createContext(
                "/",
                exchange -> {
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    ExtendedSSLSession session =
                            (ExtendedSSLSession) ((HttpsExchange) exchange).getSSLSession();
                    received.add(
                            new Received(
                                    exchange.getRequestHeaders().getFirst("Host"),
                                    session.getRequestedServerNames().stream()
                                            .map(n -> ((SNIHostName) n).getAsciiName())
                                            .toList(),
                                    exchange.getRequestURI().toString(),
                                    exchange.getRequestHeaders().getFirst("Fraud-Delivery-Id"),
                                    body));
                    exchange.sendResponseHeaders(204, -1);
                    exchange.close();
                });
        receiver.start();
    }

    @AfterAll
    static void stop() {
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @BeforeEach
    void forgetRequests() {
        received.clear();
    }

    @Test
    void shouldConnectToTheCheckedAddressWhileHostAndTlsNameTheUrlsHost() throws Exception {
        WebhookDestinations.Destination to =
                destinations.check("https://" + NAME + ":" + port() + "/events?shop=1");
        byte[] body = "{\"type\":\"payment.captured\"}".getBytes(StandardCharsets.UTF_8);

        int status =
                post.post(to, Map.of("Fraud-Delivery-Id", "wd_1"), body, Duration.ofSeconds(5));

        assertThat(status).isEqualTo(204);
        assertThat(received).hasSize(1);
        Received r = received.get(0);
        assertThat(r.host()).isEqualTo(NAME + ":" + port());
        assertThat(r.serverNames()).containsExactly(NAME);
        assertThat(r.target()).isEqualTo("/events?shop=1");
        assertThat(r.deliveryId()).isEqualTo("wd_1");
        assertThat(r.body()).isEqualTo(body);
    }

    @Test
    void shouldRefuseACertificateThatDoesNotNameTheUrlsHost() throws Exception {
        WebhookDestinations.Destination to =
                destinations.check("https://other.shop.test:" + port() + "/events");

        assertThatThrownBy(() -> post.post(to, Map.of(), new byte[0], Duration.ofSeconds(5)))
                .isInstanceOf(SSLHandshakeException.class);
        assertThat(received).as("nothing was sent").isEmpty();
    }

    @Test
    void shouldRefuseACertificateThatIsNotTrusted() throws Exception {
        WebhookDestinations.Destination to =
                destinations.check("https://" + NAME + ":" + port() + "/events");
        PinnedPost trustingTheJvmsAuthorities =
                new PinnedPost((SSLSocketFactory) SSLSocketFactory.getDefault());

        assertThatThrownBy(
                        () ->
                                trustingTheJvmsAuthorities.post(
                                        to, Map.of(), new byte[0], Duration.ofSeconds(5)))
                .isInstanceOf(SSLHandshakeException.class);
        assertThat(received).as("nothing was sent").isEmpty();
    }

    @Test
    void shouldAnswerTheFinalStatusAfterInterimAnswers() throws Exception {
        try (RawEndpoint endpoint =
                new RawEndpoint(
                        "HTTP/1.1 100 Continue\r\n\r\n"
                                + "HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
                                + "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n")) {
            WebhookDestinations.Destination to =
                    destinations.check("http://" + NAME + ":" + endpoint.port() + "/events");

            int status = post.post(to, Map.of(), new byte[] {'{', '}'}, Duration.ofSeconds(5));

            assertThat(status).isEqualTo(503);
            assertThat(endpoint.request())
                    .startsWith("POST /events HTTP/1.1\r\nHost: " + NAME + ":" + endpoint.port())
                    .contains("Content-Length: 2\r\n", "Connection: close\r\n")
                    .endsWith("\r\n\r\n{}");
        }
    }

    @Test
    void shouldGiveUpOnAnEndpointThatDoesNotAnswerInTime() throws Exception {
        try (RawEndpoint silent = new RawEndpoint(null)) {
            WebhookDestinations.Destination to =
                    destinations.check("http://" + NAME + ":" + silent.port() + "/");
            long start = System.nanoTime();

            assertThatThrownBy(() -> post.post(to, Map.of(), new byte[0], Duration.ofMillis(300)))
                    .isInstanceOf(SocketTimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void shouldRefuseAnAnswerThatIsNotHttp() throws Exception {
        try (RawEndpoint ssh = new RawEndpoint("SSH-2.0-OpenSSH_9.2\r\n")) {
            WebhookDestinations.Destination to =
                    destinations.check("http://" + NAME + ":" + ssh.port() + "/");

            assertThatThrownBy(() -> post.post(to, Map.of(), new byte[0], Duration.ofSeconds(5)))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("did not answer HTTP/1.1");
        }
    }

    @Test
    void shouldEndAnExchangeInProgressWhenClosed() throws Exception {
        try (RawEndpoint silent = new RawEndpoint(null)) {
            WebhookDestinations.Destination to =
                    destinations.check("http://" + NAME + ":" + silent.port() + "/");
            CompletableFuture<Integer> exchange =
                    CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    return post.post(
                                            to, Map.of(), new byte[0], Duration.ofMinutes(1));
                                } catch (IOException e) {
                                    throw new java.io.UncheckedIOException(e);
                                }
                            });
            silent.awaitConnection();

            post.close();

            assertThatThrownBy(() -> exchange.get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(java.io.UncheckedIOException.class);
        }
    }

    // ---- helpers ----

    private static int port() {
        return receiver.getAddress().getPort();
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A key pair and a self-signed certificate for {@code name}, made by the JDK's keytool. */
    private static KeyStore selfSigned(String name) throws Exception {
        Path file = dir.resolve(name + ".p12");
        Process keytool =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "keytool")
                                        .toString(),
                                "-genkeypair",
                                "-alias",
                                "endpoint",
                                "-keyalg",
                                "EC",
                                "-groupname",
                                "secp256r1",
                                "-dname",
                                "CN=" + name,
                                "-ext",
                                "SAN=dns:" + name,
                                "-validity",
                                "2",
                                "-storetype",
                                "PKCS12",
                                "-keystore",
                                file.toString(),
                                "-storepass",
                                new String(PASSWORD),
                                "-keypass",
                                new String(PASSWORD))
                        .redirectErrorStream(true)
                        .start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (keytool.waitFor() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            keys.load(in, PASSWORD);
        }
        return keys;
    }

    /**
     * A loopback endpoint that reads one request and writes {@code answer} as it is (or nothing,
     * holding the connection open, when it is null).
     */
    static final class RawEndpoint implements AutoCloseable {
        private final ServerSocket server;
        private final CompletableFuture<String> request = new CompletableFuture<>();
        private final CompletableFuture<Void> connected = new CompletableFuture<>();
        private final Thread thread;

        RawEndpoint(String answer) throws IOException {
            server = new ServerSocket(0, 8, LOOPBACK);
            thread =
                    new Thread(
                            () -> {
                                try (Socket s = server.accept()) {
                                    connected.complete(null);
                                    if (answer == null) {
                                        s.getInputStream()
                                                .readAllBytes(); // until the client gives up
                                        return;
                                    }
                                    request.complete(readRequest(s.getInputStream()));
                                    s.getOutputStream()
                                            .write(answer.getBytes(StandardCharsets.US_ASCII));
                                    s.getOutputStream().flush();
                                } catch (IOException e) {
                                    request.completeExceptionally(e);
                                }
                            },
                            "raw-endpoint");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        String request() throws Exception {
            return request.get(5, TimeUnit.SECONDS);
        }

        void awaitConnection() throws Exception {
            connected.get(5, TimeUnit.SECONDS);
        }

        private static String readRequest(InputStream in) throws IOException {
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            int length = -1;
            while (true) {
                int c = in.read();
                if (c == -1) {
                    break;
                }
                seen.write(c);
                String text = seen.toString(StandardCharsets.US_ASCII);
                if (length < 0 && text.endsWith("\r\n\r\n")) {
                    int at = text.indexOf("Content-Length: ");
                    length =
                            at < 0
                                    ? 0
                                    : Integer.parseInt(
                                            text.substring(at + 16, text.indexOf('\r', at)));
                    seen.write(in.readNBytes(length));
                    break;
                }
            }
            return seen.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            server.close();
            thread.interrupt();
        }
    }
}
