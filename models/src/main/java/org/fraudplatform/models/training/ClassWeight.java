package org.fraudplatform.models.training;

import java.util.Locale;

/**
 * How much a fraud row weighs against a genuine one when a model trains, the lever against the
 * class imbalance that the prequential search tries.
 */
public enum ClassWeight {
    /** Genuine rows per fraud: both classes weigh the same in total ({@code balanced}). */
    BALANCED,
    /** The square root of genuine rows per fraud, half-way on a log scale ({@code sqrt}). */
    SQUARE_ROOT,
    /** Every row weighs 1: the frauds keep their share of the data ({@code none}). */
    NONE;

    /**
     * The weight of one fraud row of {@code data}.
     *
     * @throws IllegalArgumentException without at least one row of each class
     */
    public double fraudWeight(TrainingData data) {
        double balanced = data.balancedFraudWeight();
        return switch (this) {
            case BALANCED -> balanced;
            case SQUARE_ROOT -> Math.sqrt(balanced);
            case NONE -> 1.0;
        };
    }

    /** The name in settings and reports: {@code balanced}, {@code sqrt} or {@code none}. */
    public String label() {
        return this == SQUARE_ROOT ? "sqrt" : name().toLowerCase(Locale.ROOT);
    }

    /** The weighting {@link #label() labelled} {@code label}. */
    public static ClassWeight parse(String label) {
        for (ClassWeight w : values()) {
            if (w.label().equals(label.trim().toLowerCase(Locale.ROOT))) {
                return w;
            }
        }
        throw new IllegalArgumentException(
                "unknown class weight '" + label + "': use balanced, sqrt or none");
    }
}
