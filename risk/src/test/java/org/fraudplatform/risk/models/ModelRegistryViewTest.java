package org.fraudplatform.risk.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.fraudplatform.schemas.ModelRelease;
import org.fraudplatform.schemas.ModelStage;
import org.junit.jupiter.api.Test;

/** The registry as the fold of the models topic. */
class ModelRegistryViewTest {

    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void theNewestRecordOfAVersionHoldsItsStage() {
        ModelRegistryView view = new ModelRegistryView();
        view.apply(Releases.release("a", ModelStage.CANDIDATE, T, 1));
        view.apply(Releases.release("a", ModelStage.CHAMPION, T.plusSeconds(5), 1));

        assertThat(view.champion()).map(ModelRelease::getVersion).hasValue("a");
        assertThat(view.all()).hasSize(1);
        assertThat(view.shadow()).isEmpty();
    }

    @Test
    void whenTwoVersionsClaimAStageTheLatestChangeWins() {
        ModelRegistryView view = new ModelRegistryView();
        view.apply(Releases.release("b", ModelStage.CHAMPION, T.plusSeconds(9), 1));
        view.apply(Releases.release("a", ModelStage.CHAMPION, T.plusSeconds(5), 1));
        view.apply(Releases.release("c", ModelStage.SHADOW, T.plusSeconds(1), 1));

        assertThat(view.champion()).map(ModelRelease::getVersion).hasValue("b");
        assertThat(view.inStage(ModelStage.CHAMPION))
                .extracting(ModelRelease::getVersion)
                .containsExactly("b", "a");
        assertThat(view.shadow()).map(ModelRelease::getVersion).hasValue("c");
        assertThat(view.all()).extracting(ModelRelease::getVersion).containsExactly("b", "a", "c");
    }
}
