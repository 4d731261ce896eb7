package org.fraudplatform.platform;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.fraudplatform.api.PaymentApi;
import org.fraudplatform.api.keys.ApiKeys;
import org.fraudplatform.api.keys.Scope;

/**
 * On first start, creates the demo merchant and its API key: the key is printed once and written
 * alone to {@code <data-dir>/demo-merchant-api-key}, readable only by its owner. The database keeps
 * only its hash, so on later starts the file is the way to find it. The key has every scope and a
 * limit of {@value #RATE_LIMIT} requests/s, well above what the platform decides on two cores, so
 * the bench and the simulator meet the platform's capacity, never the key's limit.
 */
final class DemoMerchant {

    static final int RATE_LIMIT = 10_000;

    private DemoMerchant() {}

    static void ensure(PaymentApi api, Path dataDir, PrintStream out) throws IOException {
        Path keyFile = dataDir.resolve(Platform.DEMO_KEY_FILE);
        if (api.merchantExists(Platform.DEMO_MERCHANT)) {
            out.println("API key for merchant " + Platform.DEMO_MERCHANT + " is in " + keyFile);
            return;
        }
        String key =
                api.createMerchantWithKey(
                                Platform.DEMO_MERCHANT,
                                "Demo merchant",
                                new ApiKeys.NewKey(Scope.all(), RATE_LIMIT, null, "demo"),
                                "platform")
                        .secret();
        Files.deleteIfExists(keyFile);
        Files.createFile(
                keyFile,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(keyFile, key + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        out.println("API key for merchant " + Platform.DEMO_MERCHANT + ": " + key);
    }
}
