package org.fraudplatform.rules.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The files of one ruleset: every {@code *.drl}, {@code *.drl.csv} and {@code *.drl.xlsx} with its
 * name relative to the ruleset's root folder ({@code /}-separated, e.g. {@code velocity.drl} or
 * {@code geo/country.drl}) and its bytes.
 *
 * <p>Invariants: at least one file; names unique, relative, without {@code ..}; files sorted by
 * name. Immutable and thread-safe. {@link #version()} is a content hash that depends only on the
 * names and contents (not on file order, the machine, or CRLF versus LF in text files).
 */
public final class RulesetSource {

    /** Suffixes of the files that make up a ruleset. */
    public static final List<String> SUFFIXES = List.of(".drl", ".drl.csv", ".drl.xlsx");

    /** Where the packaged ruleset lives on the classpath. */
    public static final String PACKAGED_ROOT = "ruleset";

    private static final int VERSION_HEX_DIGITS = 12;

    private final List<RuleFile> files;
    private final String version;

    private RulesetSource(List<RuleFile> files) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException(
                    "A ruleset needs at least one rule file (" + String.join(", ", SUFFIXES) + ")");
        }
        List<RuleFile> sorted = new ArrayList<>(files);
        sorted.sort(Comparator.comparing(RuleFile::name));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).name().equals(sorted.get(i - 1).name())) {
                throw new IllegalArgumentException("Duplicate rule file " + sorted.get(i).name());
            }
        }
        this.files = List.copyOf(sorted);
        this.version = hash(this.files);
    }

    /**
     * The given files.
     *
     * @throws IllegalArgumentException if there are none, a name repeats or is not a rule file
     */
    public static RulesetSource of(List<RuleFile> files) {
        return new RulesetSource(files);
    }

    /** The given files, by name. */
    public static RulesetSource of(Map<String, byte[]> files) {
        List<RuleFile> list = new ArrayList<>(files.size());
        files.forEach((name, content) -> list.add(new RuleFile(name, content)));
        return new RulesetSource(list);
    }

    /** The given files, by name, as a release on Kafka carries them (Avro {@code bytes}). */
    public static RulesetSource ofBuffers(Map<String, java.nio.ByteBuffer> files) {
        List<RuleFile> list = new ArrayList<>(files.size());
        files.forEach(
                (name, content) -> {
                    java.nio.ByteBuffer b = content.duplicate();
                    byte[] bytes = new byte[b.remaining()];
                    b.get(bytes);
                    list.add(new RuleFile(name, bytes));
                });
        return new RulesetSource(list);
    }

    /**
     * Every rule file under {@code directory}, recursively; hidden files and folders (name starting
     * with {@code .}) are skipped.
     *
     * @throws IOException if the folder cannot be read
     * @throws IllegalArgumentException if it holds no rule file
     */
    public static RulesetSource fromDirectory(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new IOException("Not a ruleset folder: " + directory);
        }
        return new RulesetSource(read(directory));
    }

    /**
     * The ruleset packaged with this module (classpath {@code ruleset/}), read from the jar or
     * classes folder this class was loaded from.
     *
     * @throws IllegalStateException if that location cannot be read
     */
    public static RulesetSource packaged() {
        CodeSource codeSource = RulesetSource.class.getProtectionDomain().getCodeSource();
        URL location = codeSource == null ? null : codeSource.getLocation();
        if (location == null || !"file".equals(location.getProtocol())) {
            throw new IllegalStateException(
                    "Cannot locate the packaged ruleset: classes loaded from " + location);
        }
        try {
            return packagedIn(Path.of(location.toURI()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the packaged ruleset at " + location, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Cannot locate the packaged ruleset at " + location, e);
        }
    }

    /** The ruleset under {@code ruleset/} of a classpath root: a classes folder or a jar. */
    static RulesetSource packagedIn(Path classpathRoot) throws IOException {
        if (Files.isDirectory(classpathRoot)) {
            return fromDirectory(classpathRoot.resolve(PACKAGED_ROOT));
        }
        try (FileSystem jar = FileSystems.newFileSystem(classpathRoot)) {
            Path root = jar.getPath("/" + PACKAGED_ROOT);
            if (!Files.isDirectory(root)) {
                throw new IOException("No " + PACKAGED_ROOT + "/ folder in " + classpathRoot);
            }
            return new RulesetSource(read(root));
        }
    }

    /** Whether {@code name} is named like a rule file. */
    public static boolean isRuleFile(String name) {
        return SUFFIXES.stream().anyMatch(name::endsWith);
    }

    /** The files, sorted by name. */
    public List<RuleFile> files() {
        return files;
    }

    /** Whether the ruleset has a file of this name. */
    public boolean contains(String name) {
        return files.stream().anyMatch(f -> f.name().equals(name));
    }

    /** Short hex content hash of the names and contents; equal sources have equal versions. */
    public String version() {
        return version;
    }

    @Override
    public String toString() {
        return "RulesetSource{version=" + version + ", files=" + files.size() + "}";
    }

    private static List<RuleFile> read(Path root) throws IOException {
        List<RuleFile> files = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                Path relative = root.relativize(path);
                String name =
                        relative.toString().replace(relative.getFileSystem().getSeparator(), "/");
                if (isRuleFile(name) && !isHidden(name)) {
                    files.add(new RuleFile(name, Files.readAllBytes(path)));
                }
            }
        }
        return files;
    }

    private static boolean isHidden(String name) {
        return name.startsWith(".") || name.contains("/.");
    }

    private static String hash(List<RuleFile> files) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
        for (RuleFile file : files) {
            byte[] name = file.name().getBytes(StandardCharsets.UTF_8);
            byte[] content = file.isText() ? withoutCarriageReturns(file.content) : file.content;
            sha256.update(lengthPrefix(name.length));
            sha256.update(name);
            sha256.update(lengthPrefix(content.length));
            sha256.update(content);
        }
        return HexFormat.of().formatHex(sha256.digest()).substring(0, VERSION_HEX_DIGITS);
    }

    private static byte[] lengthPrefix(int length) {
        return new byte[] {
            (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length
        };
    }

    /** CRLF → LF, so that a checkout with Windows line endings has the same version. */
    private static byte[] withoutCarriageReturns(byte[] content) {
        byte[] out = new byte[content.length];
        int n = 0;
        for (int i = 0; i < content.length; i++) {
            boolean crlf = content[i] == '\r' && i + 1 < content.length && content[i + 1] == '\n';
            if (!crlf) {
                out[n++] = content[i];
            }
        }
        return n == out.length ? content : Arrays.copyOf(out, n);
    }

    /**
     * One rule file: its name relative to the ruleset root and its bytes.
     *
     * <p>Immutable: the content is copied in and out.
     */
    public static final class RuleFile {
        private final String name;
        private final byte[] content;

        /**
         * @throws IllegalArgumentException if the name is not a relative, {@code /}-separated path
         *     ending in a rule-file suffix
         */
        public RuleFile(String name, byte[] content) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(content, "content");
            if (!isRuleFile(name)) {
                throw new IllegalArgumentException(
                        "Not a rule file: '"
                                + name
                                + "' (expected "
                                + String.join(", ", SUFFIXES)
                                + ")");
            }
            if (name.startsWith("/")
                    || name.contains("\\")
                    || Arrays.asList(name.split("/")).contains("..")
                    || name.contains("//")) {
                throw new IllegalArgumentException(
                        "Rule file name must be a relative path with '/' separators: '"
                                + name
                                + "'");
            }
            this.name = name;
            this.content = content.clone();
        }

        /** The {@code /}-separated path relative to the ruleset root. */
        public String name() {
            return name;
        }

        /** A copy of the bytes. */
        public byte[] content() {
            return content.clone();
        }

        boolean isText() {
            return !name.endsWith(".xlsx");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RuleFile other
                    && name.equals(other.name)
                    && Arrays.equals(content, other.content);
        }

        @Override
        public int hashCode() {
            return 31 * name.hashCode() + Arrays.hashCode(content);
        }

        @Override
        public String toString() {
            return name + " (" + content.length + " bytes)";
        }
    }
}
