package org.fraudplatform.platform.logging;

import ch.qos.logback.classic.pattern.MDCConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.fraudplatform.schemas.cards.CardNumberDetector;

/**
 * {@code %X} and {@code %mdc}: the diagnostic context ({@code %X{request_id}} one value, {@code %X}
 * every key and value) with every card number masked to its first six and last four digits ({@link
 * CardNumberDetector}). {@code logback.xml} registers it under logback's own words, so a pattern
 * that prints the context masks it without asking; a value put there may come from a client (a
 * request id).
 */
public final class MaskedMdcConverter extends MDCConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return CardNumberDetector.mask(super.convert(event));
    }
}
