package org.fraudplatform.workers.notifications;

import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/** Sends e-mails through an SMTP server (Jakarta Mail). */
public final class SmtpSender implements Sender {

    private final Session session;
    private final InternetAddress from;

    public SmtpSender(String host, int port, String from) {
        Properties p = new Properties();
        p.put("mail.smtp.host", host);
        p.put("mail.smtp.port", Integer.toString(port));
        p.put("mail.smtp.connectiontimeout", "5000");
        p.put("mail.smtp.timeout", "10000");
        this.session = Session.getInstance(p);
        try {
            this.from = new InternetAddress(from, true);
        } catch (jakarta.mail.internet.AddressException e) {
            throw new IllegalArgumentException("not a sender address: " + from, e);
        }
    }

    @Override
    public void send(Message m) throws MessagingException {
        MimeMessage mail = new MimeMessage(session);
        mail.setFrom(from);
        mail.setRecipient(RecipientType.TO, new InternetAddress(m.recipient(), true));
        mail.setSubject(m.subject(), StandardCharsets.UTF_8.name());
        mail.setText(m.text(), StandardCharsets.UTF_8.name());
        mail.setHeader("Content-Language", m.locale());
        Transport.send(mail);
    }
}
