package org.fraudplatform.workers.notifications;

/**
 * One notification, rendered.
 *
 * @param subject the e-mail subject (null for SMS and push)
 */
public record Message(
        Channel channel,
        String recipient,
        String subject,
        String text,
        String locale,
        String paymentId,
        String eventType) {}
