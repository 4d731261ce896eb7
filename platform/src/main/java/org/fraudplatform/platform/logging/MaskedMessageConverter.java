package org.fraudplatform.platform.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.fraudplatform.schemas.cards.CardNumberDetector;

/**
 * {@code %maskedMsg}: the log message, arguments included, with every card number masked to its
 * first six and last four digits ({@link CardNumberDetector}: any separator, glued to letters or
 * inside JSON).
 */
public final class MaskedMessageConverter extends MessageConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return CardNumberDetector.mask(super.convert(event));
    }
}
