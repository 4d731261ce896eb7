package org.fraudplatform.providers;

import java.util.List;
import java.util.Optional;

/**
 * Where several processes that run the same simulated provider meet, as the instances of one real
 * provider share its database: every operation it performed, each once. A capture that reaches
 * another API instance than the one that authorized finds the authorization here, and an operation
 * two instances perform at once is performed by the first.
 */
public interface SharedJournal {

    /**
     * Appends the entry unless the payment already has one with its operation id (an
     * authorization's is empty); returns the entry that stands: {@code entry} itself when it was
     * appended, the earlier one otherwise.
     */
    JournalEntry append(String provider, JournalEntry entry);

    /** Everything the provider did with the payment, in order. */
    List<JournalEntry> forPayment(String provider, String paymentId);

    /** The payment whose authorization answered with this reference. */
    Optional<String> paymentOf(String provider, String reference);
}
