package org.fraudplatform.api;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.fraudplatform.api.audit.AuditTrail;
import org.fraudplatform.api.http.ApiServer;
import org.fraudplatform.api.keys.ApiKeys;
import org.fraudplatform.api.keys.TokenBucket;
import org.fraudplatform.api.merchants.MerchantAdmin;
import org.fraudplatform.api.people.People;
import org.fraudplatform.api.people.Person;
import org.fraudplatform.schemas.AuditEvent;
import org.fraudplatform.schemas.topics.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The people behind the HTTP operator routes: tokens checked against {@link People}, merchants and
 * keys through {@link MerchantAdmin}, changes written to {@code audit.events} before they are
 * confirmed, the audit trail read from its projection, and failed authentications written to {@code
 * audit.events} ({@code authentication.failed}, actor {@code anonymous}, subject the source
 * address, details the reason and the credential's id) without waiting for the broker.
 *
 * <p>Failed authentications are already slowed down per source address; on top of that at most
 * {@value #AUDITED_FAILURES_PER_SECOND} a second are written from one instance, so a flood from
 * many addresses cannot fill the trail. The ones above are counted ({@link #unaudited()}, exported
 * as {@code audit_authentication_failures_unaudited}).
 */
final class StaffDesk implements ApiServer.Staff {

    static final int AUDITED_FAILURES_PER_SECOND = 20;

    private static final Logger log = LoggerFactory.getLogger(StaffDesk.class);

    private final People people;
    private final MerchantAdmin merchants;
    private final AuditTrail trail;
    private final Producer<String, AuditEvent> audit;
    private final Topic<String, AuditEvent> topic;
    private final Clock clock;
    private final TokenBucket budget;
    private final AtomicLong unaudited = new AtomicLong();

    StaffDesk(
            People people,
            ApiKeys keys,
            DataSource dataSource,
            String instance,
            AuditTrail trail,
            Producer<String, AuditEvent> audit,
            Topic<String, AuditEvent> topic,
            Clock clock) {
        this.people = people;
        this.merchants =
                new MerchantAdmin(
                        dataSource,
                        keys,
                        (actor, action, subject, details) ->
                                record(actor, action, subject, details),
                        "API " + instance);
        this.trail = trail;
        this.audit = audit;
        this.topic = topic;
        this.clock = clock;
        this.budget = new TokenBucket(AUDITED_FAILURES_PER_SECOND, System::nanoTime);
    }

    @Override
    public Optional<Person> personFor(String token) {
        return people.personForToken(token);
    }

    @Override
    public AuditTrail.Page audit(AuditTrail.Query query) {
        return trail.read(query);
    }

    @Override
    public void authenticationFailed(String from, String reason, String credential) {
        if (budget.tryTake() > 0) {
            unaudited.incrementAndGet();
            return;
        }
        AuditEvent event =
                AuditEvent.newBuilder()
                        .setEventId(UUID.randomUUID().toString())
                        .setAt(clock.instant())
                        .setActor("anonymous")
                        .setAction("authentication.failed")
                        .setSubject("address:" + from)
                        .setDetails(
                                Map.of(
                                        "reason",
                                        reason,
                                        "credential",
                                        credential == null ? "" : credential,
                                        "from",
                                        from))
                        .build();
        audit.send(
                new ProducerRecord<>(topic.name(), event.getSubject(), event),
                (metadata, e) -> {
                    if (e != null) {
                        log.warn(
                                "could not write a failed authentication from {} to the audit"
                                        + " trail: {}",
                                from,
                                e.toString());
                    }
                });
    }

    @Override
    public MerchantAdmin merchants() {
        return merchants;
    }

    @Override
    public People people() {
        return people;
    }

    @Override
    public void record(String actor, String action, String subject, Map<String, String> details)
            throws Exception {
        AuditEvent event =
                AuditEvent.newBuilder()
                        .setEventId(UUID.randomUUID().toString())
                        .setAt(clock.instant())
                        .setActor(actor)
                        .setAction(action)
                        .setSubject(subject)
                        .setDetails(details)
                        .build();
        audit.send(new ProducerRecord<>(topic.name(), subject, event)).get(10, TimeUnit.SECONDS);
    }

    /** Failed authentications above the audit budget: counted, not written. */
    long unaudited() {
        return unaudited.get();
    }
}
