package org.fraudplatform.models.runtime;

/**
 * One feature's part in a score, as {@link ScoringModel#explain} reports it.
 *
 * @param feature the feature's name
 * @param value the row's value of it (NaN when missing)
 * @param contribution how much it moved the score up (negative: down), in the model's own units
 */
public record Contribution(String feature, double value, double contribution) {}
