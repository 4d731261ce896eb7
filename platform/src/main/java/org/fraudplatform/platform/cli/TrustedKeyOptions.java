package org.fraudplatform.platform.cli;

import java.nio.file.Path;
import java.util.List;
import org.fraudplatform.risk.signing.ReleaseKeys;
import org.fraudplatform.risk.signing.TrustedKeys;
import picocli.CommandLine.Option;

/**
 * Which release-signing keys a command trusts, as the scoring instances do: {@code
 * --release-public-key} (repeatable), by default the public key in the platform's data folder
 * ({@code <--data-dir>/release-signing-key.pub}). Same names, and so the same {@code FRAUD_*}
 * variables, as {@code fraud run}.
 */
final class TrustedKeyOptions {

    @Option(
            names = "--data-dir",
            defaultValue = "data",
            description =
                    "The platform's data folder, where its release keys are. Default:"
                            + " ${DEFAULT-VALUE}")
    Path dataDir;

    @Option(
            names = "--release-public-key",
            paramLabel = "FILE",
            description =
                    "A public key whose releases the scoring instances take up (PEM, X.509);"
                            + " repeat for several. Default: <data-dir>/release-signing-key.pub")
    List<Path> publicKeys;

    /** The trusted keys; throws naming the file when one is missing or unreadable. */
    TrustedKeys trusted() {
        return TrustedKeys.read(
                publicKeys == null || publicKeys.isEmpty()
                        ? List.of(ReleaseKeys.publicKeyFile(defaultSigningKey()))
                        : publicKeys);
    }

    Path defaultSigningKey() {
        return dataDir.resolve(ReleaseKeys.PRIVATE_KEY_FILE);
    }
}
