package org.fraudplatform.workers.notifications;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.fraudplatform.schemas.PaymentEvent;
import org.fraudplatform.workers.events.LedgerEventsConsumer;
import org.fraudplatform.workers.webhooks.WebhookEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells customers about their payments, run by a {@link LedgerEventsConsumer}: each capture,
 * refund, decline and void of a payment whose merchant gave a contact becomes an e-mail, an SMS and
 * a push message (those the contact allows), from the {@link Templates} of the customer's locale.
 * Each payment, event and channel is sent at most once (the claim in {@link ContactStore} survives
 * reading a batch again), and a recipient gets at most {@link
 * NotificationSettings#perRecipientPerHour()} messages an hour; the rest are recorded as rate
 * limited. Recipients are counted by their blind index ({@link ContactStore#claim}); their
 * addresses are read decrypted from the contact and never stored with the notifications.
 */
public final class CustomerNotifier implements LedgerEventsConsumer.Handler {

    private static final Logger log = LoggerFactory.getLogger(CustomerNotifier.class);

    private final ContactStore contacts;
    private final Templates templates;
    private final Map<Channel, Sender> senders;
    private final NotificationSettings settings;
    private final Function<String, String> merchantNames;
    private final Clock clock;

    public CustomerNotifier(
            ContactStore contacts,
            Templates templates,
            Map<Channel, Sender> senders,
            NotificationSettings settings,
            Function<String, String> merchantNames,
            Clock clock) {
        this.contacts = contacts;
        this.templates = templates;
        this.senders = Map.copyOf(senders);
        this.settings = settings;
        this.merchantNames = merchantNames;
        this.clock = clock;
    }

    @Override
    public void handle(List<PaymentEvent> events) {
        for (PaymentEvent e : events) {
            notify(e);
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
                            recipient, // compared as its blind index, however capitalised
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
}
