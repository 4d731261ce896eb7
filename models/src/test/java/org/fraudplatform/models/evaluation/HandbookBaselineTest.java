package org.fraudplatform.models.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The handbook's baseline reads exactly the book's 15 inputs from a backfill. */
class HandbookBaselineTest {

    @Test
    void shouldReadTheBooksFifteenInputsInTheBooksOrderWhereverTheFileHoldsThem() {
        List<String> file = new ArrayList<>(HandbookBaseline.INPUTS);
        file.addAll(List.of("card_count_10m", "ip_count_1h", "merchant_count_1d"));
        Collections.reverse(file);

        int[] columns = HandbookBaseline.columns(file);

        assertThat(HandbookBaseline.INPUTS).hasSize(15).doesNotHaveDuplicates();
        for (int j = 0; j < columns.length; j++) {
            assertThat(file.get(columns[j])).isEqualTo(HandbookBaseline.INPUTS.get(j));
        }
    }

    @Test
    void shouldRefuseABackfillWithoutTheWeekendAndNightFlags() {
        List<String> file = new ArrayList<>(HandbookBaseline.INPUTS);
        file.removeAll(List.of("during_weekend", "during_night"));

        assertThatThrownBy(() -> HandbookBaseline.columns(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "the backfill lacks the handbook's inputs [during_weekend, during_night]");
    }
}
