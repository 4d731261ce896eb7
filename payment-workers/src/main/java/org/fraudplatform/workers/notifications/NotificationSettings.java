package org.fraudplatform.workers.notifications;

/**
 * How customers are notified.
 *
 * @param smtpHost the SMTP server for e-mails, or null to write e-mails to {@code
 *     notifications.log} like SMS and push
 * @param smtpPort its port
 * @param from the sender address of e-mails
 * @param perRecipientPerHour at most this many messages to one recipient in an hour; more are
 *     recorded as rate limited and not sent
 */
public record NotificationSettings(
        String smtpHost, int smtpPort, String from, int perRecipientPerHour) {

    /** No SMTP server (e-mails go to the log topic), 10 per recipient and hour. */
    public static final NotificationSettings DEFAULTS =
            new NotificationSettings(null, 25, "payments@fraud-platform.invalid", 10);

    public NotificationSettings {
        if (perRecipientPerHour < 1) {
            throw new IllegalArgumentException("the rate limit must allow one message an hour");
        }
        if (smtpPort < 1 || smtpPort > 65535) {
            throw new IllegalArgumentException("not a port: " + smtpPort);
        }
    }
}
