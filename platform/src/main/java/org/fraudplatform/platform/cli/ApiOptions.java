package org.fraudplatform.platform.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import org.fraudplatform.api.tls.ClientTls;
import picocli.CommandLine.Option;

/**
 * Where a command finds the running payment API and the merchant key it calls it with. An {@code
 * https} URL is checked against the JDK's trusted authorities, or against the certificates of
 * {@code --ca-cert} (the API's own self-signed certificate, say), and the host name against the
 * certificate either way.
 */
final class ApiOptions {

    @Option(
            names = "--url",
            defaultValue = "http://127.0.0.1:8080",
            description = "Base URL of the payment API. Default: ${DEFAULT-VALUE}")
    String url;

    @Option(
            names = "--ca-cert",
            paramLabel = "FILE",
            description =
                    "PEM certificates to trust for an https --url instead of the JDK's authorities:"
                            + " the API's own self-signed certificate (its --tls-cert), or the"
                            + " authority that signed it. The host name is checked either way.")
    Path caCert;

    @Option(
            names = "--api-key",
            description = "Merchant API key (prefer FRAUD_API_KEY); default: read --api-key-file.")
    String apiKey;

    @Option(
            names = "--api-key-file",
            defaultValue = "data/demo-merchant-api-key",
            description = "File holding the API key. Default: ${DEFAULT-VALUE}")
    Path apiKeyFile;

    /**
     * Makes this process's HTTPS clients trust {@code --ca-cert} (and nothing else) when it is
     * given: the JDK's default context, which every client of the command uses. Call it before any
     * client is made.
     */
    void trust() {
        if (caCert != null && !caCert.toString().isBlank()) {
            SSLContext.setDefault(ClientTls.trusting(caCert));
        }
    }

    /**
     * The merchant key: {@code --api-key}, else the file's content.
     *
     * @throws IllegalArgumentException when there is neither
     */
    String key() throws IOException {
        if (apiKey != null && !apiKey.isBlank()) {
            return apiKey;
        }
        if (!Files.isReadable(apiKeyFile)) {
            throw new IllegalArgumentException(
                    "No API key: give --api-key or --api-key-file ("
                            + apiKeyFile
                            + " is not readable)");
        }
        return Files.readString(apiKeyFile).trim();
    }
}
