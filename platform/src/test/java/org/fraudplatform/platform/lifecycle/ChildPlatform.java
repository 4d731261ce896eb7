package org.fraudplatform.platform.lifecycle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.fraudplatform.platform.cli.FraudCommand;

/**
 * One {@code fraud run --role …} in its own JVM, so that a test can kill it the way a machine dies:
 * {@code SIGKILL}, no shutdown hook, no clean close of Kafka Streams, open transactions left
 * behind.
 */
final class ChildPlatform {

    private final String role;
    private final Path dataDir;
    private final Path log;
    private final List<String> command;
    private Process process;

    ChildPlatform(String role, Path dataDir, String bootstrapServers, String registryUrl) {
        this.role = role;
        this.dataDir = dataDir;
        this.log = dataDir.resolve("process.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        this.command =
                new ArrayList<>(
                        List.of(
                                java,
                                "-Xmx384m",
                                "-cp",
                                System.getProperty("java.class.path"),
                                FraudCommand.class.getName(),
                                "run",
                                "--role",
                                role,
                                "--data-dir",
                                dataDir.toString(),
                                "--bootstrap-servers",
                                bootstrapServers,
                                "--schema-registry-url",
                                registryUrl,
                                "--partitions",
                                "3",
                                "--stream-threads",
                                "1",
                                // several roles share this machine: each its own free port
                                "--management-port",
                                "0"));
    }

    /** Adds options to the command line (before {@link #start}). */
    ChildPlatform with(String... options) {
        command.addAll(List.of(options));
        return this;
    }

    /** Starts the process and waits until it reports the platform up. */
    ChildPlatform start(Duration patience) throws IOException, InterruptedException {
        return launch().awaitUp(patience);
    }

    /** Starts the process, without waiting: several start side by side, then {@link #awaitUp}. */
    ChildPlatform launch() throws IOException {
        Files.createDirectories(dataDir);
        Files.deleteIfExists(log);
        process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        return this;
    }

    /** Waits until the process reports the platform up. */
    ChildPlatform awaitUp(Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(role + " exited: " + output());
            }
            if (output().contains("Platform up")) {
                return this;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(role + " not up within " + patience + ": " + output());
    }

    /** Kills the process at once (SIGKILL). */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
