package org.fraudplatform.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One running platform per data folder. The lock is the operating system's ({@code .lock} in the
 * folder, holding the owner's process id), so it goes with its process however the process ends,
 * {@code kill -9} included: a platform that finds the lock free knows that nothing else uses the
 * folder, and that whatever of an earlier platform still runs there (its PostgreSQL) is left over.
 */
final class DataFolderLock implements AutoCloseable {

    static final String FILE = ".lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataFolderLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the folder's lock.
     *
     * @throws IllegalArgumentException when another running platform holds it (a user's mistake,
     *     reported like a taken port)
     */
    static DataFolderLock take(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        FileChannel channel = null;
        try {
            channel =
                    FileChannel.open(
                            file,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.READ,
                            StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // a platform in this very process holds it
            }
            if (lock == null) {
                String owner = Files.readString(file, StandardCharsets.UTF_8).trim();
                channel.close();
                throw new IllegalArgumentException(
                        "cannot start: the data folder "
                                + dataDir
                                + " is in use by another running platform"
                                + (owner.isEmpty() ? "" : " (pid " + owner + ")")
                                + ": stop it, or give this one another --data-dir");
            }
            channel.truncate(0);
            channel.write(
                    ByteBuffer.wrap(
                            Long.toString(ProcessHandle.current().pid())
                                    .getBytes(StandardCharsets.UTF_8)));
            channel.force(false);
            return new DataFolderLock(channel, lock);
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // the failure below is the one to report
                }
            }
            throw new UncheckedIOException("cannot lock the data folder " + dataDir, e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
