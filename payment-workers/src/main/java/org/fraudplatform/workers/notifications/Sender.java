package org.fraudplatform.workers.notifications;

/** Hands a message to whatever delivers it (an SMTP server, an SMS gateway, a push service). */
public interface Sender {

    /**
     * Sends one message.
     *
     * @throws Exception when it could not be handed over; the notification is recorded as failed
     */
    void send(Message message) throws Exception;
}
