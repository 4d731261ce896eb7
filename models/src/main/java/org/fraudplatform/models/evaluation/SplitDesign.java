package org.fraudplatform.models.evaluation;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a {@link Split} was made, as a report states it.
 *
 * @param name e.g. {@code "Protocol (handbook)"}
 * @param description one line: the windows and their sizes
 * @param labelCutoff training rows count as fraud only when their label was known before this
 * @param trainingLabels the label rule in words, for the report's training summary
 * @param settings the split's parameters and rules by name, for {@code metrics.json}
 * @param handbookBaselinesApply whether the handbook's published baselines were measured on this
 *     very split (only then does a report list them beside the models)
 */
public record SplitDesign(
        String name,
        String description,
        Instant labelCutoff,
        String trainingLabels,
        Map<String, String> settings,
        boolean handbookBaselinesApply) {

    public SplitDesign {
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }
}
