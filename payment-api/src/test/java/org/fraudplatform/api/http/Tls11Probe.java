package org.fraudplatform.api.http;

import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.fraudplatform.api.tls.ClientTls;

/**
 * A client that offers one protocol version at a time, TLS 1.2 and then TLS 1.1, run as a process
 * of its own by {@link ApiServerTlsIT}: prints {@code <offered>: negotiated <protocol>} when the
 * server accepts, or {@code <offered>: refused: <reason>} when the handshake fails.
 *
 * <p>Arguments: host, port, and the PEM certificate to trust.
 */
public final class Tls11Probe {

    private Tls11Probe() {}

    public static void main(String[] args) throws Exception {
        SSLContext context = ClientTls.trusting(Path.of(args[2]));
        // TLS 1.2 first: what is refused with TLS 1.1 only is then refused for its version
        for (String protocol : new String[] {"TLSv1.2", "TLSv1.1"}) {
            try (SSLSocket socket =
                    (SSLSocket)
                            context.getSocketFactory()
                                    .createSocket(args[0], Integer.parseInt(args[1]))) {
                socket.setSoTimeout(10_000);
                socket.setEnabledProtocols(new String[] {protocol});
                socket.startHandshake();
                System.out.println(protocol + ": negotiated " + socket.getSession().getProtocol());
            } catch (SSLException e) {
                System.out.println(protocol + ": refused: " + e.getMessage());
            }
        }
    }
}
