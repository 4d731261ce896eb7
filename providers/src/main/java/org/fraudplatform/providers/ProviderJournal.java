package org.fraudplatform.providers;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The append-only file in which a provider records every operation it performed, one CSV line per
 * operation under a header. It is the provider's memory across restarts and the source of
 * settlement files.
 *
 * <p>Lines are flushed as they are written. A line cut short by a crash is the last one of the
 * file; reading skips it and the next append starts on a new line.
 */
public final class ProviderJournal implements AutoCloseable {

    /** The first line of every journal. */
    public static final String HEADER =
            "time,payment_id,operation,operation_id,amount,currency,outcome,reference,code";

    private static final int COLUMNS = 9;

    private final List<JournalEntry> loaded;
    private final BufferedWriter writer;

    private ProviderJournal(List<JournalEntry> loaded, BufferedWriter writer) {
        this.loaded = loaded;
        this.writer = writer;
    }

    /** Where the journal of the named provider lives in the folder. */
    public static Path file(Path folder, String providerName) {
        return folder.resolve(providerName.replaceAll("[^A-Za-z0-9._-]", "_") + "-journal.csv");
    }

    /** Reads a journal; a missing file is an empty journal. */
    public static List<JournalEntry> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<JournalEntry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isEmpty() || (i == 0 && line.equals(HEADER))) {
                continue;
            }
            try {
                entries.add(parse(line));
            } catch (RuntimeException e) {
                if (i == lines.size() - 1) {
                    continue; // cut short by a crash while it was written
                }
                throw new IOException(file + " line " + (i + 1) + " is not a journal line", e);
            }
        }
        return List.copyOf(entries);
    }

    /** Opens the journal for appending, creating the folder and file with a header if needed. */
    static ProviderJournal open(Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        List<JournalEntry> loaded = read(file);
        boolean fresh = !Files.exists(file) || Files.size(file) == 0;
        boolean torn = !fresh && !endsWithNewline(file);
        BufferedWriter writer =
                Files.newBufferedWriter(
                        file,
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
        if (fresh) {
            writer.write(HEADER);
            writer.newLine();
        } else if (torn) {
            writer.newLine();
        }
        writer.flush();
        return new ProviderJournal(loaded, writer);
    }

    /** What the file held when it was opened. */
    List<JournalEntry> loaded() {
        return loaded;
    }

    /** Appends one line and flushes it. */
    synchronized void append(JournalEntry entry) {
        try {
            writer.write(format(entry));
            writer.newLine();
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        writer.close();
    }

    static String format(JournalEntry e) {
        return String.join(
                ",",
                e.time().toString(),
                quote(e.paymentId()),
                e.operation().name().toLowerCase(Locale.ROOT),
                quote(e.operationId()),
                Long.toString(e.amount()),
                quote(e.currency()),
                e.outcome().name().toLowerCase(Locale.ROOT),
                quote(e.reference()),
                quote(e.code()));
    }

    static JournalEntry parse(String line) {
        List<String> f = split(line);
        if (f.size() != COLUMNS) {
            throw new IllegalArgumentException("expected " + COLUMNS + " columns");
        }
        return new JournalEntry(
                Instant.parse(f.get(0)),
                f.get(1),
                JournalEntry.Operation.valueOf(f.get(2).toUpperCase(Locale.ROOT)),
                emptyToNull(f.get(3)),
                Long.parseLong(f.get(4)),
                f.get(5),
                ProviderResult.Outcome.valueOf(f.get(6).toUpperCase(Locale.ROOT)),
                emptyToNull(f.get(7)),
                emptyToNull(f.get(8)));
    }

    private static String quote(String value) {
        if (value == null) {
            return "";
        }
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    private static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c != '"') {
                    field.append(c);
                } else if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unterminated quote");
        }
        fields.add(field.toString());
        return fields;
    }

    private static String emptyToNull(String value) {
        return value.isEmpty() ? null : value;
    }

    private static boolean endsWithNewline(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            raf.seek(raf.length() - 1);
            return raf.read() == '\n';
        }
    }
}
