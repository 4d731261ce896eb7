package org.fraudplatform.models.evaluation;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One test day of a {@link Split}: the day's rows (file order) minus those of cards already known
 * to be compromised at the day's start. The arrays are not copied; do not modify them.
 *
 * @param rows row indices into the split's {@link FeatureFile}
 * @param cards the card of each row
 * @param labels the true label of each row ({@code is_fraud}, however late it became known)
 * @param excludedCards the cards known to be compromised at the day's start, sorted
 * @param excludedRows the day's rows left out because their card is among them
 */
public record TestDay(
        LocalDate day,
        int[] rows,
        String[] cards,
        int[] labels,
        List<String> excludedCards,
        int excludedRows) {

    /** Rows kept. */
    public int size() {
        return rows.length;
    }

    /** Fraudulent rows kept. */
    public int frauds() {
        int n = 0;
        for (int label : labels) {
            n += label;
        }
        return n;
    }

    /** Cards with at least one fraudulent row kept that day. */
    public int fraudCards() {
        Set<String> fraud = new HashSet<>();
        for (int i = 0; i < rows.length; i++) {
            if (labels[i] == 1) {
                fraud.add(cards[i]);
            }
        }
        return fraud.size();
    }
}
