package org.fraudplatform.risk.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fraudplatform.risk.signing.SignedReleases.keyPair;

import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fraudplatform.risk.signing.ReleaseRefusal;
import org.fraudplatform.risk.signing.ReleaseSigner;
import org.fraudplatform.risk.signing.TrustedKeys;
import org.fraudplatform.schemas.ModelRelease;
import org.fraudplatform.schemas.ModelStage;
import org.fraudplatform.schemas.serde.InMemorySchemaRegistry;
import org.fraudplatform.schemas.topics.Topics;
import org.junit.jupiter.api.Test;

/**
 * A scoring instance folds into its registry only the model records that a trusted key signed as
 * they are: a champion or shadow published unsigned, signed by an unknown key, or restaged after
 * signing is refused and counted, and the model in that slot goes on scoring.
 */
class ModelWatcherTest {

    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");
    private static final KeyPair DATA_SCIENTISTS = keyPair(21);
    private static final ReleaseSigner SIGNER = ReleaseSigner.of(DATA_SCIENTISTS);
    private static final ReleaseSigner STRANGER = ReleaseSigner.of(keyPair(22));

    private final Topics topics = Topics.create(InMemorySchemaRegistry.inMemory(), 1);
    private final LiveModels live = new LiveModels();
    private final ModelWatcher watcher =
            new ModelWatcher(
                    topics.models(),
                    Releases.CATALOGUE,
                    live,
                    TrustedKeys.of(DATA_SCIENTISTS.getPublic()));
    private final List<ConsumerRecord<String, byte[]>> published = new ArrayList<>();

    @Test
    void shouldPutASignedChampionAndShadowLive() {
        arrive(SIGNER.sign(Releases.release("good", ModelStage.CHAMPION, T, 1)));
        arrive(SIGNER.sign(Releases.release("trial", ModelStage.SHADOW, T.plusSeconds(1), 2)));

        assertThat(live.get().champion().version()).isEqualTo("good");
        assertThat(live.get().shadow().version()).isEqualTo("trial");
        assertThat(watcher.refusals().total()).isZero();
    }

    @Test
    void shouldRefuseAnUnsignedChampionAndKeepScoringWithTheGoodOne() {
        arrive(SIGNER.sign(Releases.release("good", ModelStage.CHAMPION, T, 1)));

        arrive(Releases.release("rogue", ModelStage.CHAMPION, T.plusSeconds(5), 9));

        assertThat(live.get().champion().version()).isEqualTo("good");
        assertThat(watcher.refusals().get(ReleaseRefusal.Reason.UNSIGNED)).isEqualTo(1);
        assertThat(watcher.refusals().total()).isEqualTo(1);
    }

    @Test
    void shouldRefuseAChampionSignedByAnUnknownKey() {
        arrive(SIGNER.sign(Releases.release("good", ModelStage.CHAMPION, T, 1)));

        arrive(STRANGER.sign(Releases.release("rogue", ModelStage.CHAMPION, T.plusSeconds(5), 9)));

        assertThat(live.get().champion().version()).isEqualTo("good");
        assertThat(watcher.refusals().get(ReleaseRefusal.Reason.UNKNOWN_KEY)).isEqualTo(1);
    }

    @Test
    void shouldRefuseACandidatePromotedAfterItWasSigned() {
        arrive(SIGNER.sign(Releases.release("good", ModelStage.CHAMPION, T, 1)));
        ModelRelease candidate =
                SIGNER.sign(Releases.release("other", ModelStage.CANDIDATE, T.plusSeconds(1), 9));
        arrive(candidate);

        // the data scientists' signature of a candidate, with its stage edited to champion
        arrive(
                ModelRelease.newBuilder(candidate)
                        .setStage(ModelStage.CHAMPION)
                        .setStageChangedAt(T.plusSeconds(5))
                        .build());

        assertThat(live.get().champion().version()).isEqualTo("good");
        assertThat(watcher.refusals().get(ReleaseRefusal.Reason.BAD_SIGNATURE)).isEqualTo(1);
    }

    @Test
    void shouldRefuseAnUnsignedRetirementOfTheChampion() {
        arrive(SIGNER.sign(Releases.release("good", ModelStage.CHAMPION, T, 1)));

        arrive(Releases.release("good", ModelStage.RETIRED, T.plusSeconds(5), 1));

        assertThat(live.get().champion().version()).isEqualTo("good");
        assertThat(watcher.refusals().get(ReleaseRefusal.Reason.UNSIGNED)).isEqualTo(1);
    }

    private void arrive(ModelRelease release) {
        String topic = topics.models().name();
        ConsumerRecord<String, byte[]> r =
                new ConsumerRecord<>(
                        topic,
                        0,
                        published.size(),
                        release.getVersion(),
                        topics.models().valueSerde().serializer().serialize(topic, release));
        published.add(r);
        watcher.fold(List.of(r));
    }
}
