package org.fraudplatform.api.http;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Reads request bodies within a deadline, so that a client sending its body slowly (or never) holds
 * a server thread at most {@code timeout}. The JDK's server reads a body from its socket in
 * blocking mode; a read still running at the deadline is interrupted, which closes the connection
 * (the socket channel is interruptible) and fails the read with {@link SlowBodyException}. A body
 * already received whole is read without a timer.
 */
final class BodyReader implements AutoCloseable {

    private final ScheduledExecutorService timer;
    private volatile Duration timeout;

    BodyReader(Duration timeout) {
        this.timeout = timeout;
        ScheduledThreadPoolExecutor pool =
                new ScheduledThreadPoolExecutor(
                        1,
                        r -> {
                            Thread t = new Thread(r, "http-body-deadlines");
                            t.setDaemon(true);
                            return t;
                        });
        pool.setRemoveOnCancelPolicy(true);
        this.timer = pool;
    }

    /** A body not received whole within the deadline: the connection is closed. */
    static final class SlowBodyException extends IOException {
        private static final long serialVersionUID = 1L;

        SlowBodyException(String message) {
            super(message);
        }
    }

    void timeout(Duration timeout) {
        this.timeout = timeout;
    }

    Duration timeout() {
        return timeout;
    }

    /**
     * Reads up to {@code max} bytes of the body.
     *
     * @param expected the body's Content-Length, or -1 when it is chunked or unknown
     */
    byte[] read(InputStream in, int max, long expected) throws IOException {
        if (expected >= 0 && in.available() >= Math.min(expected, max)) {
            return in.readNBytes(max);
        }
        return within(() -> in.readNBytes(max));
    }

    /** Closes the body's stream, which reads what is left of it (up to the JDK's drain amount). */
    void discard(InputStream in) throws IOException {
        within(
                () -> {
                    in.close();
                    return null;
                });
    }

    private interface Io<T> {
        T run() throws IOException;
    }

    private <T> T within(Io<T> io) throws IOException {
        Duration limit = timeout;
        Deadline deadline = new Deadline(Thread.currentThread());
        ScheduledFuture<?> task =
                timer.schedule(deadline::expire, limit.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return io.run();
        } catch (IOException e) {
            if (deadline.expired()) {
                throw new SlowBodyException(
                        "the body did not arrive within " + limit.toMillis() + " ms");
            }
            throw e;
        } finally {
            task.cancel(false);
            deadline.finish();
        }
    }

    /**
     * One read's deadline. The interrupt is sent under the lock, and {@link #finish()} clears it
     * under the same lock, so a server thread never carries an interrupt to its next request.
     */
    private static final class Deadline {
        private final Thread reader;
        private boolean done;
        private boolean expired;

        Deadline(Thread reader) {
            this.reader = reader;
        }

        synchronized void expire() {
            if (!done) {
                expired = true;
                reader.interrupt();
            }
        }

        synchronized boolean expired() {
            return expired;
        }

        void finish() {
            boolean interrupted;
            synchronized (this) {
                done = true;
                interrupted = expired;
            }
            if (interrupted) {
                Thread.interrupted();
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
