package org.fraudplatform.dev.simulate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What to simulate. Everything here shapes the planned traffic, so the same options give the same
 * requests; how fast they are sent in parallel is not part of it.
 *
 * @param payments authorizations to send
 * @param rate authorizations per second (also the clock of the plan: gaps between the payments of
 *     one scenario are seconds at this rate)
 * @param customers genuine customers at the start; newcomers join as the traffic needs them
 * @param seed seed of every random draw
 * @param fraudShare share of the payments made in fraud scenarios
 * @param chargebackShare share of captured fraud payments that get a fraud chargeback
 * @param reportShare share of captured fraud payments the merchant reports as fraud instead
 * @param refundShare share of captured genuine payments that are refunded
 */
public record SimulationOptions(
        int payments,
        int rate,
        int customers,
        long seed,
        double fraudShare,
        double chargebackShare,
        double reportShare,
        double refundShare) {

    /** The command's defaults. */
    public static SimulationOptions defaults() {
        return new SimulationOptions(5000, 100, 500, 42, 0.03, 0.8, 0.1, 0.05);
    }

    /**
     * @throws IllegalArgumentException naming the option at fault
     */
    public SimulationOptions {
        require(payments >= 1, "--payments must be at least 1");
        require(rate >= 1, "--rate must be at least 1 per second");
        require(customers >= 1, "--customers must be at least 1");
        require(share(fraudShare), "--fraud-share must be from 0 to 1");
        require(share(chargebackShare), "--chargeback-share must be from 0 to 1");
        require(share(reportShare), "--report-share must be from 0 to 1");
        require(
                chargebackShare + reportShare <= 1.0 + 1e-9,
                "--chargeback-share and --report-share together must be at most 1");
        require(share(refundShare), "--refund-share must be from 0 to 1");
    }

    /** The same options with another number of payments and another rate. */
    public SimulationOptions withTraffic(int newPayments, int newRate) {
        return new SimulationOptions(
                newPayments,
                newRate,
                customers,
                seed,
                fraudShare,
                chargebackShare,
                reportShare,
                refundShare);
    }

    /** The same options with another fraud share. */
    public SimulationOptions withFraudShare(double newFraudShare) {
        return new SimulationOptions(
                payments,
                rate,
                customers,
                seed,
                newFraudShare,
                chargebackShare,
                reportShare,
                refundShare);
    }

    /** The same options with another seed. */
    public SimulationOptions withSeed(long newSeed) {
        return new SimulationOptions(
                payments,
                rate,
                customers,
                newSeed,
                fraudShare,
                chargebackShare,
                reportShare,
                refundShare);
    }

    /**
     * The prefix of every Idempotency-Key of this plan: the seed and a hash of the other options. A
     * rerun with the same options replays every first answer and changes nothing; other options
     * plan other bodies, which get keys of their own instead of a 409 for a reused key.
     */
    public String keyPrefix() {
        String shape =
                payments
                        + "/"
                        + rate
                        + "/"
                        + customers
                        + "/"
                        + fraudShare
                        + "/"
                        + chargebackShare
                        + "/"
                        + reportShare
                        + "/"
                        + refundShare;
        try {
            byte[] hash =
                    MessageDigest.getInstance("SHA-256")
                            .digest(shape.getBytes(StandardCharsets.UTF_8));
            return "sim-" + seed + "-" + HexFormat.of().formatHex(hash, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static boolean share(double value) {
        return value >= 0 && value <= 1;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
