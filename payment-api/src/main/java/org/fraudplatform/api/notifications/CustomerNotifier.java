package org.fraudplatform.api.notifications;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.fraudplatform.api.webhooks.WebhookEvents;
import org.fraudplatform.schemas.PaymentEvent;
import org.fraudplatform.schemas.topics.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells customers about their payments: a consumer group on {@code payments.events} turns each
 * capture, refund, decline and void of a payment whose merchant gave a contact into an e-mail, an
 * SMS and a push message (those the contact allows), from the {@link Templates} of the customer's
 * locale. Each payment, event and channel is sent at most once (the claim in {@link ContactStore}
 * survives re-reading the topic), and a recipient gets at most {@link
 * NotificationSettings#perRecipientPerHour()} messages an hour; the rest are recorded as rate
 * limited.
 */
public final class CustomerNotifier implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CustomerNotifier.class);

    private final KafkaConsumer<String, PaymentEvent> consumer;
    private final ContactStore contacts;
    private final Templates templates;
    private final Map<Channel, Sender> senders;
    private final NotificationSettings settings;
    private final Function<String, String> merchantNames;
    private final Clock clock;
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);

    public CustomerNotifier(
            String bootstrapServers,
            Topic<String, PaymentEvent> events,
            ContactStore contacts,
            Templates templates,
            Map<Channel, Sender> senders,
            NotificationSettings settings,
            Function<String, String> merchantNames,
            Clock clock) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "api-customer-notifications");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        this.consumer =
                new KafkaConsumer<>(
                        p, events.keySerde().deserializer(), events.valueSerde().deserializer());
        consumer.subscribe(List.of(events.name()));
        this.contacts = contacts;
        this.templates = templates;
        this.senders = Map.copyOf(senders);
        this.settings = settings;
        this.merchantNames = merchantNames;
        this.clock = clock;
        this.thread = new Thread(this::run, "customer-notifications");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        try {
            while (running.get()) {
                var records = consumer.poll(Duration.ofMillis(200));
                if (records.isEmpty()) {
                    continue;
                }
                try {
                    for (ConsumerRecord<String, PaymentEvent> r : records) {
                        if (r.value() != null) {
                            notify(r.value());
                        }
                    }
                } catch (RuntimeException e) {
                    // the database is away: read the batch again after a pause (claims stop
                    // repeats)
                    log.warn("cannot notify customers, retrying in 1 s: {}", e.getMessage());
                    for (var tp : records.partitions()) {
                        consumer.seek(tp, records.records(tp).get(0).offset());
                    }
                    Thread.sleep(1_000);
                    continue;
                }
                consumer.commitSync();
            }
        } catch (WakeupException e) {
            if (running.get()) {
                log.error("customer notifications woken up unexpectedly", e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("customer notifications stopped; unread events are read on restart", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** The notifications of one ledger event. */
    void notify(PaymentEvent e) {
        String type = WebhookEvents.name(e.getType());
        if (!Templates.EVENTS.contains(type)) {
            return;
        }
        Optional<ContactStore.Stored> stored = contacts.find(e.getPaymentId());
        if (stored.isEmpty()) {
            return;
        }
        Contact contact = stored.get().contact();
        String merchant = merchantNames.apply(stored.get().merchantId());
        for (Channel channel : Channel.values()) {
            String recipient = channel.recipient(contact);
            Sender sender = senders.get(channel);
            if (recipient == null || sender == null) {
                continue;
            }
            Optional<Message> message =
                    templates.render(
                            channel,
                            recipient,
                            contact.locale(),
                            type,
                            e.getPaymentId(),
                            merchant,
                            e.getAmount(),
                            e.getCurrency());
            if (message.isEmpty()) {
                continue;
            }
            Optional<ContactStore.Outcome> claim =
                    contacts.claim(
                            e.getPaymentId(),
                            type,
                            channel,
                            recipient,
                            settings.perRecipientPerHour(),
                            clock.instant());
            if (claim.isEmpty() || claim.get() != ContactStore.Outcome.SENT) {
                continue; // decided before, or over the recipient's hourly limit
            }
            try {
                sender.send(message.get());
            } catch (Exception ex) {
                log.warn(
                        "{} about {} of {} not sent: {}",
                        channel.label(),
                        type,
                        e.getPaymentId(),
                        ex.getMessage());
                contacts.failed(e.getPaymentId(), type, channel, String.valueOf(ex.getMessage()));
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        consumer.wakeup();
        thread.join(10_000);
    }
}
