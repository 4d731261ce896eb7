package org.fraudplatform.risk.models;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fraudplatform.schemas.ModelRelease;
import org.fraudplatform.schemas.ModelStage;

/**
 * The model registry as the fold of the {@code models} topic: the newest record of each version
 * holds its stage. The champion decides, the shadow is scored and recorded; when records disagree
 * (two champions after a race) the latest stage change wins.
 */
public final class ModelRegistryView {

    private final Map<String, ModelRelease> versions = new LinkedHashMap<>();

    /** Folds one record in (records of one version replace each other). */
    public void apply(ModelRelease release) {
        versions.put(release.getVersion(), release);
    }

    /** Leaves a version out (its records were compacted away). */
    public void remove(String version) {
        versions.remove(version);
    }

    public Optional<ModelRelease> champion() {
        return latestIn(ModelStage.CHAMPION);
    }

    public Optional<ModelRelease> shadow() {
        return latestIn(ModelStage.SHADOW);
    }

    public Optional<ModelRelease> version(String version) {
        return Optional.ofNullable(versions.get(version));
    }

    /** Every version, newest stage change first. */
    public List<ModelRelease> all() {
        return versions.values().stream()
                .sorted(Comparator.comparing(ModelRelease::getStageChangedAt).reversed())
                .toList();
    }

    /** Every version in {@code stage}, newest stage change first. */
    public List<ModelRelease> inStage(ModelStage stage) {
        return all().stream().filter(r -> r.getStage() == stage).toList();
    }

    private Optional<ModelRelease> latestIn(ModelStage stage) {
        return versions.values().stream()
                .filter(r -> r.getStage() == stage)
                .max(Comparator.comparing(ModelRelease::getStageChangedAt));
    }
}
