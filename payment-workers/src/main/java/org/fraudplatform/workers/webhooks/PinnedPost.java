package org.fraudplatform.workers.webhooks;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 {@code POST} to a {@link WebhookDestinations.Destination}, over a connection to the
 * address that was checked and to no other: the socket connects to {@link
 * WebhookDestinations.Destination#address()}, while the {@code Host} header, the TLS server name
 * (SNI) and the check of the certificate's host name use the URL's host. Nothing here looks a name
 * up. The request carries {@code Content-Length} and {@code Connection: close}; the answer's status
 * line is read (after any interim 1xx answers) and the connection closed, the body unread. Connect,
 * TLS handshake, request and status share one deadline; redirects are not followed (a 3xx is the
 * status). Thread-safe; {@link #close} ends every exchange in progress.
 *
 * <p>Why not the JDK's clients: on Java 17 {@code java.net.http.HttpClient} resolves the URL's host
 * itself, with no resolver of its own to plug in (the resolver SPI arrived in Java 18, and it is
 * JVM-wide), refuses a {@code Host} header (restricted), and takes the TLS server name and the
 * certificate check from the URL, so sending it to the address instead of the name breaks TLS.
 * {@code HttpsURLConnection} can be given a socket factory that connects to a fixed address, but it
 * still builds the socket address from the URL's host (a system lookup before the factory is asked)
 * and which factory method it calls is its own detail; for plain {@code http} it has no hook at
 * all. One POST and one status line are a small protocol surface held entirely here. The price: no
 * connection reuse, a new connection (and TLS handshake) per attempt.
 */
final class PinnedPost implements AutoCloseable {

    /** Longest line of an answer's head read; a longer one is not an HTTP answer we take. */
    private static final int MAX_LINE = 8 * 1024;

    private final SSLSocketFactory tls;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * @param tls makes the TLS connections, and so decides which certificates are trusted (the
     *     JVM's default in production)
     */
    PinnedPost(SSLSocketFactory tls) {
        this.tls = tls;
    }

    /**
     * POSTs {@code body} with {@code headers} (besides {@code Host}, {@code Content-Length} and
     * {@code Connection}) and answers the status.
     *
     * @throws SocketTimeoutException when the exchange takes longer than {@code timeout}
     * @throws IOException when the connection, the TLS handshake (an untrusted certificate, or one
     *     for another name) or the exchange fails, or the answer is not HTTP/1.x
     */
    int post(
            WebhookDestinations.Destination to,
            Map<String, String> headers,
            byte[] body,
            Duration timeout)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] head = head(to, headers, body.length);
        Socket socket = new Socket(Proxy.NO_PROXY);
        open.add(socket);
        try {
            if (closed) {
                throw new IOException("the sender is stopping");
            }
            socket.setTcpNoDelay(true); // the request goes out in one write, the answer at once
            socket.connect(new InetSocketAddress(to.address(), to.port()), millisLeft(deadline));
            Socket connection = to.tls() ? handshake(socket, to, deadline) : socket;
            byte[] request = Arrays.copyOf(head, head.length + body.length);
            System.arraycopy(body, 0, request, head.length, body.length);
            OutputStream out = connection.getOutputStream();
            out.write(request);
            out.flush();
            return status(new BufferedInputStream(connection.getInputStream()), socket, deadline);
        } finally {
            open.remove(socket);
            socket.close();
        }
    }

    private SSLSocket handshake(Socket socket, WebhookDestinations.Destination to, long deadline)
            throws IOException {
        String name =
                to.host().endsWith(".")
                        ? to.host().substring(0, to.host().length() - 1)
                        : to.host();
        SSLSocket s = (SSLSocket) tls.createSocket(socket, name, to.port(), true);
        SSLParameters parameters = s.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate names the host
        if (!to.namesAnAddress()) {
            try {
                parameters.setServerNames(List.of(new SNIHostName(name)));
            } catch (IllegalArgumentException e) {
                // a name SNI cannot carry (an underscore, say): none is sent, as the JDK does
            }
        }
        s.setSSLParameters(parameters);
        s.setSoTimeout(millisLeft(deadline));
        s.startHandshake();
        return s;
    }

    private static byte[] head(
            WebhookDestinations.Destination to, Map<String, String> headers, int length) {
        StringBuilder h = new StringBuilder();
        h.append("POST ").append(to.target()).append(" HTTP/1.1\r\n");
        h.append("Host: ").append(to.hostHeader()).append("\r\n");
        headers.forEach(
                (name, value) -> {
                    if (!printable(name) || !printable(value)) {
                        throw new IllegalArgumentException("header " + name + " is not printable");
                    }
                    h.append(name).append(": ").append(value).append("\r\n");
                });
        h.append("Content-Length: ").append(length).append("\r\n");
        h.append("Connection: close\r\n\r\n");
        return h.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean printable(String s) {
        return s.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    }

    /** The final status of the answer: interim 1xx answers (and their headers) are skipped. */
    private static int status(InputStream in, Socket socket, long deadline) throws IOException {
        while (true) {
            String line = line(in, socket, deadline);
            // HTTP/1.1 200 OK
            if (!line.matches("HTTP/1\\.[01] [0-9]{3}( .*)?")) {
                throw new ProtocolException(
                        "the endpoint did not answer HTTP/1.1: "
                                + line.substring(0, Math.min(line.length(), 40)));
            }
            int status = Integer.parseInt(line.substring(9, 12));
            if (status >= 200) {
                return status;
            }
            while (!line(in, socket, deadline).isEmpty()) {
                // headers of an interim answer
            }
        }
    }

    private static String line(InputStream in, Socket socket, long deadline) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            socket.setSoTimeout(millisLeft(deadline));
            int c = in.read();
            if (c == -1) {
                throw new EOFException("the endpoint closed the connection without an answer");
            }
            if (c == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r'
                        ? line.substring(0, end - 1)
                        : line.toString();
            }
            if (line.length() == MAX_LINE) {
                throw new ProtocolException("the endpoint's answer has a line over 8 KiB");
            }
            line.append((char) c);
        }
    }

    private static int millisLeft(long deadline) throws SocketTimeoutException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("the endpoint did not answer in time");
        }
        return (int) Math.min(left, Integer.MAX_VALUE);
    }

    /** Ends every exchange in progress (its {@link #post} throws) and every later one. */
    @Override
    public void close() {
        closed = true;
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
