package org.fraudplatform.reconciliation;

import java.time.Instant;
import org.fraudplatform.schemas.ReconciliationCategory;
import org.fraudplatform.schemas.ReconciliationItem;
import org.fraudplatform.schemas.ReconciliationStatus;

/**
 * How a movement compares across ledger and settlement, in one place.
 *
 * <ul>
 *   <li>Both sides present: more than one settlement row is a {@code DUPLICATE}; otherwise the
 *       currencies, then the amounts, must agree ({@code CURRENCY_MISMATCH}, {@code
 *       AMOUNT_MISMATCH}); else {@code MATCHED}.
 *   <li>Only the ledger's movement: {@code AWAITING_SETTLEMENT} while the window is open, then
 *       {@code MISSING_IN_SETTLEMENT}.
 *   <li>Only settlement rows: {@code AWAITING_LEDGER} while the window is open, then {@code
 *       STATUS_MISMATCH} when the ledger knows the payment but not this movement (the provider
 *       settled what the ledger did not record, e.g. a capture of a voided payment), or {@code
 *       MISSING_IN_LEDGER} when the ledger never saw the payment.
 * </ul>
 *
 * The status follows: {@code MATCHED}, {@code OPEN} while awaiting, {@code EXCEPTION} otherwise; an
 * exception an analyst resolved stays {@code RESOLVED} unless the item later matches.
 */
public final class Matching {

    private Matching() {}

    /** The category of {@code item} at {@code now}. */
    public static ReconciliationCategory category(
            ReconciliationItem item, boolean paymentKnown, Instant now) {
        boolean ledger = item.getLedgerAt() != null;
        boolean settled = !item.getSettlementRows().isEmpty();
        boolean open = item.getOpenUntil() != null && now.isBefore(item.getOpenUntil());
        if (ledger && settled) {
            if (item.getSettlementRows().size() > 1) {
                return ReconciliationCategory.DUPLICATE;
            }
            if (!item.getLedgerCurrency().equals(item.getSettledCurrency())) {
                return ReconciliationCategory.CURRENCY_MISMATCH;
            }
            if (!item.getLedgerAmount().equals(item.getSettledAmount())) {
                return ReconciliationCategory.AMOUNT_MISMATCH;
            }
            return ReconciliationCategory.MATCHED;
        }
        if (ledger) {
            return open
                    ? ReconciliationCategory.AWAITING_SETTLEMENT
                    : ReconciliationCategory.MISSING_IN_SETTLEMENT;
        }
        if (open) {
            return ReconciliationCategory.AWAITING_LEDGER;
        }
        return paymentKnown
                ? ReconciliationCategory.STATUS_MISMATCH
                : ReconciliationCategory.MISSING_IN_LEDGER;
    }

    /** The status that goes with {@code category} for an item now in {@code current}. */
    public static ReconciliationStatus status(
            ReconciliationCategory category, ReconciliationStatus current) {
        if (category == ReconciliationCategory.MATCHED) {
            return ReconciliationStatus.MATCHED;
        }
        if (current == ReconciliationStatus.RESOLVED) {
            return ReconciliationStatus.RESOLVED;
        }
        if (category == ReconciliationCategory.AWAITING_SETTLEMENT
                || category == ReconciliationCategory.AWAITING_LEDGER) {
            return ReconciliationStatus.OPEN;
        }
        return ReconciliationStatus.EXCEPTION;
    }
}
