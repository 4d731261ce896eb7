package org.fraudplatform.workers.notifications;

import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.fraudplatform.schemas.CustomerNotification;
import org.fraudplatform.schemas.topics.Topic;

/**
 * The default sender of SMS and push messages (and of e-mails when no SMTP server is configured):
 * writes each message to {@code notifications.log}, the recipient masked, where a gateway adapter
 * or an operator can pick it up.
 */
public final class LogTopicSender implements Sender {

    private final Producer<String, CustomerNotification> producer;
    private final Topic<String, CustomerNotification> topic;
    private final Clock clock;

    public LogTopicSender(
            Producer<String, CustomerNotification> producer,
            Topic<String, CustomerNotification> topic,
            Clock clock) {
        this.producer = producer;
        this.topic = topic;
        this.clock = clock;
    }

    @Override
    public void send(Message m) throws Exception {
        producer.send(
                        new ProducerRecord<>(
                                topic.name(),
                                m.paymentId(),
                                CustomerNotification.newBuilder()
                                        .setMessageId(UUID.randomUUID().toString())
                                        .setChannel(m.channel().label())
                                        .setRecipient(mask(m.recipient()))
                                        .setSubject(m.subject())
                                        .setText(m.text())
                                        .setLocale(m.locale())
                                        .setPaymentId(m.paymentId())
                                        .setEventType(m.eventType())
                                        .setSentAt(clock.instant())
                                        .build()))
                .get(30, TimeUnit.SECONDS);
    }

    /**
     * {@code j***@example.com}, {@code +49*******78}, {@code dev***}: enough to tell them apart.
     */
    static String mask(String recipient) {
        int at = recipient.indexOf('@');
        if (at > 0) {
            return recipient.charAt(0) + "***" + recipient.substring(at);
        }
        if (recipient.startsWith("+") && recipient.length() > 5) {
            return recipient.substring(0, 3)
                    + "*".repeat(recipient.length() - 5)
                    + recipient.substring(recipient.length() - 2);
        }
        return recipient.substring(0, Math.min(3, recipient.length())) + "***";
    }
}
