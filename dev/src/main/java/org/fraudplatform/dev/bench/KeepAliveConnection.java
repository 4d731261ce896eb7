package org.fraudplatform.dev.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One persistent HTTP/1.1 connection with blocking reads and writes: the load generator's client.
 * The JDK's {@code HttpClient} spends most of a core on its selector and future chains at a few
 * hundred requests per second, which on a small machine is taken from the server being measured; a
 * blocked thread per connection costs nothing while it waits. Handles {@code Content-Length} and
 * chunked bodies and reconnects when the server has closed the connection.
 *
 * <p>An {@code https} base URL is spoken over TLS with the JDK's default context (its trusted
 * authorities, or what the command set as default), the server name sent (SNI) and the
 * certificate's host name checked against the URL's host, as any HTTPS client does.
 */
final class KeepAliveConnection implements Closeable {

    /** Status and body of one response. */
    record Response(int status, String body) {}

    private final String host;
    private final int port;
    private final SSLSocketFactory tls;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    /** A connection to an {@code http} or {@code https} server, over the JDK's default TLS. */
    KeepAliveConnection(URI base) {
        this(base, null);
    }

    /**
     * @param tls the sockets of an {@code https} base URL, or null for the JDK's default context's
     */
    KeepAliveConnection(URI base, SSLSocketFactory tls) {
        boolean https = "https".equals(base.getScheme());
        if (!https && !"http".equals(base.getScheme())) {
            throw new IllegalArgumentException(
                    "the load generator speaks http and https, not " + base);
        }
        this.host = base.getHost();
        this.port = base.getPort() >= 0 ? base.getPort() : https ? 443 : 80;
        this.tls = !https ? null : tls != null ? tls : defaultTls();
    }

    private static SSLSocketFactory defaultTls() {
        try {
            return SSLContext.getDefault().getSocketFactory();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
    }

    /**
     * Sends a POST and reads the reply. A request that fails before any byte of the reply arrived
     * on a reused connection is sent once more on a fresh one (the idempotency key the caller puts
     * in the headers makes that safe).
     */
    Response post(String path, Map<String, String> headers, String body) throws IOException {
        byte[] request = encode(path, headers, body);
        boolean reused = socket != null;
        try {
            return exchange(request);
        } catch (IOException e) {
            close();
            if (!reused) {
                throw e;
            }
            return exchange(request);
        }
    }

    private Response exchange(byte[] request) throws IOException {
        if (socket == null) {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout(60_000);
            if (tls != null) {
                SSLSocket secure = (SSLSocket) tls.createSocket(socket, host, port, true);
                SSLParameters parameters = secure.getSSLParameters();
                // a bare SSLSocket checks the chain only; the host name is checked here
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                secure.setSSLParameters(parameters);
                secure.startHandshake();
                socket = secure;
            }
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
        }
        out.write(request);
        out.flush();
        String statusLine = readLine(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        long contentLength = -1;
        boolean chunked = false;
        boolean closeAfter = false;
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> contentLength = Long.parseLong(value);
                case "transfer-encoding" ->
                        chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> closeAfter = value.equalsIgnoreCase("close");
                default -> {}
            }
        }
        byte[] payload;
        if (chunked) {
            payload = readChunked(in);
        } else if (contentLength >= 0) {
            payload = in.readNBytes((int) contentLength);
            if (payload.length < contentLength) {
                throw new EOFException("body ended after " + payload.length + " bytes");
            }
        } else if (status == 204 || status == 304) {
            payload = new byte[0];
        } else {
            payload = in.readAllBytes();
            closeAfter = true;
        }
        if (closeAfter) {
            close();
        }
        return new Response(status, new String(payload, StandardCharsets.UTF_8));
    }

    private static byte[] encode(String path, Map<String, String> headers, String body) {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(256);
        head.append("POST ").append(path).append(" HTTP/1.1\r\n");
        head.append("Host: localhost\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("Content-Length: ").append(content.length).append("\r\n\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[headBytes.length + content.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(content, 0, all, headBytes.length, content.length);
        return all;
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            int semicolon = sizeLine.indexOf(';');
            int size =
                    Integer.parseInt(
                            (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(),
                            16);
            if (size == 0) {
                while (!readLine(in).isEmpty()) {
                    // trailers are not used
                }
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length < size) {
                throw new EOFException("chunk ended after " + chunk.length + " bytes");
            }
            body.write(chunk);
            readLine(in);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed by the server");
            }
            if (b == '\n') {
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') {
                    line.setLength(end - 1);
                }
                return line.toString();
            }
            line.append((char) b);
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a socket we no longer use
            }
        }
        socket = null;
        in = null;
        out = null;
    }
}
