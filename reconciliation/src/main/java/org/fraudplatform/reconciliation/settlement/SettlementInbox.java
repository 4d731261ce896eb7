package org.fraudplatform.reconciliation.settlement;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settlement drop folder: providers' reports put into {@code inbox/} are imported ({@link
 * SettlementImporter}) and moved to {@code done/}, with {@code <file>.quarantined.txt} beside them
 * listing each malformed row's line and reason; a file that is no settlement report at all goes to
 * {@code rejected/} with {@code <file>.reason.txt}. A file is taken once its size has stopped
 * changing for one scan, so a report still being copied is not read half-written.
 */
public final class SettlementInbox implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SettlementInbox.class);

    private final Path inbox;
    private final Path done;
    private final Path rejected;
    private final SettlementImporter importer;
    private final ScheduledExecutorService scanner;
    private final java.util.Map<Path, Long> sizes = new java.util.HashMap<>();

    private SettlementInbox(Path folder, SettlementImporter importer, Duration scan)
            throws IOException {
        this.inbox = Files.createDirectories(folder.resolve("inbox"));
        this.done = Files.createDirectories(folder.resolve("done"));
        this.rejected = Files.createDirectories(folder.resolve("rejected"));
        this.importer = importer;
        this.scanner =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "settlement-inbox");
                            t.setDaemon(true);
                            return t;
                        });
        scanner.scheduleWithFixedDelay(this::scanSafely, 0, scan.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Watches {@code folder/inbox}, scanning every {@code scan}. */
    public static SettlementInbox start(Path folder, SettlementImporter importer, Duration scan)
            throws IOException {
        return new SettlementInbox(folder, importer, scan);
    }

    public Path inbox() {
        return inbox;
    }

    private void scanSafely() {
        try {
            scan();
        } catch (IOException | RuntimeException e) {
            log.error("settlement inbox scan failed; retrying at the next scan", e);
        }
    }

    void scan() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(inbox)) {
            for (Path p : dir) {
                if (Files.isRegularFile(p) && !p.getFileName().toString().startsWith(".")) {
                    files.add(p);
                }
            }
        }
        files.sort(null);
        sizes.keySet().retainAll(files);
        for (Path file : files) {
            long size = Files.size(file);
            Long before = sizes.put(file, size);
            if (before == null || before != size) {
                continue; // still arriving, or first seen: take it at the next scan
            }
            sizes.remove(file);
            take(file);
        }
    }

    private void take(Path file) throws IOException {
        String name = file.getFileName().toString();
        try {
            SettlementImporter.Result r = importer.importFile(file, "inbox");
            if (r.alreadyImported()) {
                log.info(
                        "{} was imported before (content {}, as {}): nothing published",
                        name,
                        r.fileHash(),
                        r.previous().getFileName());
            } else {
                log.info(
                        "imported {}: {} rows, {} quarantined (content {})",
                        name,
                        r.rows(),
                        r.quarantined(),
                        r.fileHash());
            }
            if (!r.report().quarantined().isEmpty()) {
                List<String> lines = new ArrayList<>();
                for (var q : r.report().quarantined()) {
                    lines.add("line " + q.line() + ": " + q.reason() + "\t" + q.raw());
                }
                Files.write(done.resolve(name + ".quarantined.txt"), lines, StandardCharsets.UTF_8);
            }
            Files.move(file, done.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        } catch (IllegalArgumentException e) {
            log.error("{} refused: {}", name, e.getMessage());
            Files.writeString(rejected.resolve(name + ".reason.txt"), e.getMessage() + "\n");
            Files.move(file, rejected.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public void close() {
        scanner.shutdownNow();
        try {
            scanner.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
