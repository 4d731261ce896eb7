package org.fraudplatform.platform.testing;

import java.nio.file.Path;
import java.util.List;
import org.fraudplatform.risk.signing.ReleaseKeys;
import org.fraudplatform.risk.signing.ReleaseSigner;
import org.fraudplatform.risk.signing.TrustedKeys;

/**
 * The release keys a platform created in its data folder on first start: what a test signs releases
 * with, as {@code fraud rules deploy} and {@code fraud models …} do by default.
 */
public final class ReleaseKeysOf {

    private ReleaseKeysOf() {}

    /** The signer of {@code <dataDir>/release-signing-key}. */
    public static ReleaseSigner signer(Path dataDir) {
        return ReleaseSigner.read(dataDir.resolve(ReleaseKeys.PRIVATE_KEY_FILE));
    }

    /** The platform's trusted keys by default: its own public key. */
    public static TrustedKeys trusted(Path dataDir) {
        return TrustedKeys.read(
                List.of(ReleaseKeys.publicKeyFile(dataDir.resolve(ReleaseKeys.PRIVATE_KEY_FILE))));
    }
}
