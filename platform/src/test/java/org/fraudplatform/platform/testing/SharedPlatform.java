package org.fraudplatform.platform.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.fraudplatform.api.PaymentApi;
import org.fraudplatform.platform.Platform;
import org.fraudplatform.platform.TestSettings;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One whole embedded platform ({@link TestSettings#embedded}) shared by every integration test
 * class of the test JVM that registers this extension: the first class starts it; it stops after
 * the last of them ({@link SharedPlatformFirst} runs them first and counts them), or when the run
 * ends (JUnit closes it with the root context). A platform takes many seconds to start on two
 * cores; the classes that only pay, read and refuse need no platform of their own.
 *
 * <p>Sharing has a rule: a class that registers this extension must not change what the others see.
 * It pays with its own cards, customers and idempotency keys, creates its own merchants when it
 * counts a merchant's data, and puts back any list entry it adds. Classes that deploy rules,
 * promote models, change settings or stop a process start their own platform.
 *
 * <p>The integration tests run in two lanes (the failsafe configuration of this module): classes
 * with a platform of their own run two at a time, and the classes that share this one run one after
 * the other in the lane that starts the run, so they are marked {@code SAME_THREAD}.
 *
 * <pre>{@code
 * @Execution(value = ExecutionMode.SAME_THREAD, reason = SharedPlatform.LANE)
 * class PaysAndReadsIT {
 *     @RegisterExtension static final SharedPlatform shared = new SharedPlatform();
 * }
 * }</pre>
 */
public final class SharedPlatform implements BeforeAllCallback, AfterAllCallback {

    /** Why a class that shares the platform runs in the first lane, after the one before it. */
    public static final String LANE =
            "shares the embedded platform: the classes that share it run first, one after the"
                    + " other";

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(SharedPlatform.class);

    /** The running platform and what it wrote at start; closed when the whole run ends. */
    private static final class Running implements AutoCloseable {
        final Path dataDir;
        final ByteArrayOutputStream console = new ByteArrayOutputStream();
        final Platform platform;

        Running() throws Exception {
            dataDir = Files.createTempDirectory("shared-platform");
            platform =
                    Platform.start(
                            TestSettings.embedded(dataDir),
                            new PrintStream(console, true, StandardCharsets.UTF_8));
        }

        @Override
        public void close() {
            platform.close();
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temporary folder left behind harms nothing
            }
        }
    }

    /**
     * Classes still to run that share the platform, when {@link SharedPlatformFirst} ordered the
     * run; -1 when nobody counted them, and the platform then stops when the run ends.
     */
    private static final AtomicInteger REMAINING = new AtomicInteger(-1);

    private Running running;

    /** Called by {@link SharedPlatformFirst}: how many classes of this run share the platform. */
    static void expectClasses(int classes) {
        REMAINING.set(classes);
    }

    /** After the last class that shares it, the platform stops: later tests run without it. */
    @Override
    public void afterAll(ExtensionContext context) {
        if (REMAINING.get() > 0 && REMAINING.decrementAndGet() == 0) {
            Running last =
                    context.getRoot().getStore(NAMESPACE).remove(Running.class, Running.class);
            if (last != null) {
                last.close();
            }
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        running =
                context.getRoot()
                        .getStore(NAMESPACE)
                        .getOrComputeIfAbsent(
                                Running.class,
                                k -> {
                                    try {
                                        return new Running();
                                    } catch (Exception e) {
                                        throw new IllegalStateException(
                                                "the shared platform did not start", e);
                                    }
                                },
                                Running.class);
    }

    public Platform platform() {
        return running().platform;
    }

    /** The platform's data folder: the demo merchant's key and the administrator's files. */
    public Path dataDir() {
        return running().dataDir;
    }

    /** The demo merchant's secret key. */
    public String demoKey() {
        return read(Platform.DEMO_KEY_FILE);
    }

    /** The administrator's token. */
    public String adminToken() {
        return read(PaymentApi.ADMIN_TOKEN_FILE);
    }

    /** The API's address. */
    public URI base() {
        return URI.create("http://127.0.0.1:" + platform().apiPort());
    }

    /** What the platform printed since it started. */
    public String consoleOutput() {
        return running().console.toString(StandardCharsets.UTF_8);
    }

    private String read(String file) {
        try {
            return Files.readString(dataDir().resolve(file)).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Running running() {
        if (running == null) {
            throw new IllegalStateException(
                    "the shared platform is reached from @BeforeAll or a test, once the extension"
                            + " ran");
        }
        return running;
    }
}
