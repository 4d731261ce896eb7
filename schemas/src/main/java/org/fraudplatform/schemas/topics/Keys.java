package org.fraudplatform.schemas.topics;

import org.fraudplatform.schemas.BankTransfer;
import org.fraudplatform.schemas.Card;
import org.fraudplatform.schemas.PaymentMethodType;
import org.fraudplatform.schemas.PaymentRequest;
import org.fraudplatform.schemas.Wallet;

/** How records are keyed, declared once for producers and topologies alike. */
public final class Keys {

    private Keys() {}

    /**
     * The instrument key of a payment request: the card token, the bank account token, or for a
     * wallet the underlying card's token when the wallet reveals it, else the wallet token. It is
     * the record key of {@code payments.requests}, so every payment of one instrument lands on one
     * partition, and the entity key of per-card features.
     */
    public static String instrumentKey(PaymentRequest request) {
        Object instrument = request.getInstrument();
        if (instrument instanceof Card card) {
            return card.getToken();
        }
        if (instrument instanceof BankTransfer bank) {
            return bank.getAccountToken();
        }
        if (instrument instanceof Wallet wallet) {
            return wallet.getCardFingerprint() != null
                    ? wallet.getCardFingerprint()
                    : wallet.getWalletToken();
        }
        throw new IllegalArgumentException(
                "payment " + request.getPaymentId() + " has no known instrument: " + instrument);
    }

    /** The payment method of a request's instrument. */
    public static PaymentMethodType paymentMethod(PaymentRequest request) {
        Object instrument = request.getInstrument();
        if (instrument instanceof Card) {
            return PaymentMethodType.CARD;
        }
        if (instrument instanceof BankTransfer) {
            return PaymentMethodType.BANK_TRANSFER;
        }
        if (instrument instanceof Wallet) {
            return PaymentMethodType.WALLET;
        }
        throw new IllegalArgumentException(
                "payment " + request.getPaymentId() + " has no known instrument: " + instrument);
    }
}
