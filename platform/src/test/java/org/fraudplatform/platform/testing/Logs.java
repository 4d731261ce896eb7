package org.fraudplatform.platform.testing;

import ch.qos.logback.classic.LoggerContext;
import java.time.Duration;
import org.slf4j.LoggerFactory;

/** The log as tests read it. */
public final class Logs {

    private Logs() {}

    /**
     * Logback's context, once SLF4J has bound it: while another test class's thread is in the
     * middle of SLF4J's initialization, SLF4J hands out a stand-in factory instead.
     */
    public static LoggerContext context() {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "SLF4J did not bind Logback within 10 s: "
                                + LoggerFactory.getILoggerFactory());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return (LoggerContext) LoggerFactory.getILoggerFactory();
    }
}
