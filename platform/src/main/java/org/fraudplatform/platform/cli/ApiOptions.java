package org.fraudplatform.platform.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where a command finds the running payment API and the merchant key it calls it with. */
final class ApiOptions {

    @Option(
            names = "--url",
            defaultValue = "http://127.0.0.1:8080",
            description = "Base URL of the payment API. Default: ${DEFAULT-VALUE}")
    String url;

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
