package org.fraudplatform.platform.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import org.fraudplatform.api.reports.Reports;
import org.fraudplatform.database.Database;
import org.fraudplatform.runtime.AuditLog;

/**
 * Publishes a report the command wrote ({@code report.html}) to the platform, for the console: into
 * the platform's PostgreSQL ({@link Reports}), audited on {@code audit.events} as {@code
 * report.publish} under the person's name. The broker must answer first, so that no publication
 * goes unaudited.
 */
final class ReportPublishing {

    private ReportPublishing() {}

    /**
     * A report file's bytes, when the platform takes it.
     *
     * @throws IllegalArgumentException for a missing, oversized, empty or non-HTML file
     */
    static byte[] read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no report to publish at " + file);
        }
        long size = Files.size(file);
        if (size > Reports.MAX_BYTES) {
            throw new IllegalArgumentException(
                    String.format(
                            Locale.ROOT,
                            "%s has %,d bytes; the platform takes reports of at most %,d",
                            file,
                            size,
                            Reports.MAX_BYTES));
        }
        byte[] html = Files.readAllBytes(file);
        try {
            Reports.check(html);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        return html;
    }

    /** Stores and audits the report; returns its path on the console. */
    static String publish(
            DatabaseOptions database,
            KafkaOptions kafka,
            Reports.Publication publication,
            String author)
            throws Exception {
        KeysCommand.requireBroker(kafka.connection());
        try (Database db = database.connect();
                AuditLog audit = new AuditLog(kafka.connection(), kafka.topics().audit())) {
            long id =
                    new Reports(db.dataSource())
                            .publish(
                                    publication,
                                    author,
                                    Instant.now(),
                                    (actor, action, subject, details) ->
                                            audit.record(
                                                    actor,
                                                    action,
                                                    subject,
                                                    Instant.now(),
                                                    details));
            return "/console/reports/" + id;
        }
    }
}
