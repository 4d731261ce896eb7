package org.fraudplatform.offline;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.UUID;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;

/**
 * Where a job's tasks write their part files, and how the command gets them back: a folder of this
 * machine (the default: the output folder's own, which a local job and a cluster on this host both
 * reach), or a folder under a file system URI of the {@link FlinkTarget#staging} (shared storage a
 * cluster of several hosts writes to: any scheme Flink's file systems serve in the cluster and in
 * this process, {@code file:} always; others with their Flink plugin). Parts under a URI get a
 * folder of their own per run, are copied into the local folder after the job, and are deleted.
 */
public final class StagedParts {

    private final Path local;
    private final org.apache.flink.core.fs.Path remote;

    private StagedParts(Path local, org.apache.flink.core.fs.Path remote) {
        this.local = local;
        this.remote = remote;
    }

    /**
     * The parts of one run.
     *
     * @param local where the command reads them (emptied now)
     */
    public static StagedParts of(FlinkTarget target, Path local) throws IOException {
        deleteRecursively(local);
        if (target.staging() == null) {
            return new StagedParts(local, null);
        }
        String base = target.staging().toString();
        URI run =
                URI.create(
                        (base.endsWith("/") ? base : base + "/")
                                + local.getFileName()
                                + "-"
                                + UUID.randomUUID()
                                + "/");
        return new StagedParts(local, new org.apache.flink.core.fs.Path(run));
    }

    /** Where the job's sink named {@code name} writes. */
    public org.apache.flink.core.fs.Path sink(String name) {
        return remote == null
                ? new org.apache.flink.core.fs.Path(local.resolve(name).toUri())
                : new org.apache.flink.core.fs.Path(remote, name);
    }

    /** Where the parts are written, for progress lines. */
    public String describe() {
        return remote == null ? local.toString() : remote.toString();
    }

    /**
     * The local folder with the parts the job wrote: those under a URI copied here first, keeping
     * their relative paths.
     */
    public Path fetch() throws IOException {
        if (remote != null) {
            FileSystem fs = remote.getFileSystem();
            if (fs.exists(remote)) {
                copy(fs, remote, local);
            }
        }
        return local;
    }

    /** Deletes the parts, here and under the URI. */
    public void clear() throws IOException {
        deleteRecursively(local);
        if (remote != null) {
            FileSystem fs = remote.getFileSystem();
            if (fs.exists(remote)) {
                fs.delete(remote, true);
            }
        }
    }

    private static void copy(FileSystem fs, org.apache.flink.core.fs.Path from, Path to)
            throws IOException {
        Files.createDirectories(to);
        FileStatus[] entries = fs.listStatus(from);
        if (entries == null) {
            return;
        }
        for (FileStatus entry : entries) {
            String name = entry.getPath().getName();
            if (entry.isDir()) {
                copy(fs, entry.getPath(), to.resolve(name));
            } else {
                try (InputStream in = fs.open(entry.getPath())) {
                    Files.copy(in, to.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
