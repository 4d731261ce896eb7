package org.fraudplatform.platform.cli;

import java.nio.file.Path;
import org.fraudplatform.risk.signing.ReleaseSigner;
import org.fraudplatform.risk.signing.TrustedKeys;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * How a command that publishes a release signs it: with {@code --signing-key} (the Ed25519 private
 * key in PKCS#8 PEM, its public key beside it as {@code <file>.pub}), by default the key the
 * platform created in its data folder; and which keys the scoring instances trust ({@link
 * TrustedKeyOptions}), so that a command only builds on releases they take up.
 */
final class ReleaseKeyOptions {

    @CommandLine.Mixin TrustedKeyOptions trust = new TrustedKeyOptions();

    @Option(
            names = "--signing-key",
            paramLabel = "FILE",
            description =
                    "The release-signing key (its public key beside it as FILE.pub). Default:"
                            + " <data-dir>/release-signing-key")
    Path signingKey;

    /**
     * The signer; throws naming the file when the key is missing, unreadable, readable by others or
     * does not match its public key.
     */
    ReleaseSigner signer() {
        return ReleaseSigner.read(signingKey != null ? signingKey : trust.defaultSigningKey());
    }

    TrustedKeys trusted() {
        return trust.trusted();
    }
}
