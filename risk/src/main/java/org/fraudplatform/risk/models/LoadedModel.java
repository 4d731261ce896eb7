package org.fraudplatform.risk.models;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.fraudplatform.features.FeatureCatalogue;
import org.fraudplatform.models.runtime.ModelCodec;
import org.fraudplatform.models.runtime.ScoringModel;
import org.fraudplatform.schemas.ModelRelease;
import org.fraudplatform.schemas.ReasonCode;

/**
 * A registry release made ready to score: decoded, checked against the running feature catalogue,
 * with its input vector built from a payment's features in the model's order.
 */
public final class LoadedModel {

    /** The model input that is not a catalogue feature: the payment's amount in minor units. */
    public static final String AMOUNT = "amount_minor";

    private final String version;
    private final String name;
    private final ScoringModel model;
    private final String[] inputs;

    private LoadedModel(String version, String name, ScoringModel model) {
        this.version = version;
        this.name = name;
        this.model = model;
        this.inputs = model.featureNames().toArray(String[]::new);
    }

    /**
     * Decodes and checks a release; a release that does not fit the catalogue is refused with the
     * reason, so a bad model never replaces a good one.
     */
    public static LoadedModel load(ModelRelease release, FeatureCatalogue catalogue) {
        Checked checked = check(release, catalogue);
        if (checked.problem() != null) {
            throw new IllegalArgumentException(
                    "model " + release.getVersion() + " refused: " + checked.problem());
        }
        return new LoadedModel(release.getVersion(), release.getName(), checked.model());
    }

    /** Why the release cannot score with this catalogue, or empty when it can. */
    public static Optional<String> problem(ModelRelease release, FeatureCatalogue catalogue) {
        return Optional.ofNullable(check(release, catalogue).problem());
    }

    /** The decoded model, or why the release cannot score (then the model is null). */
    private record Checked(ScoringModel model, String problem) {}

    private static Checked check(ModelRelease release, FeatureCatalogue catalogue) {
        if (!release.getCatalogueHash().equals(catalogue.hash())) {
            return new Checked(
                    null,
                    "trained on feature catalogue "
                            + abbreviate(release.getCatalogueHash())
                            + ", the running catalogue is "
                            + abbreviate(catalogue.hash()));
        }
        Set<String> known = new HashSet<>(catalogue.names());
        known.add(AMOUNT);
        List<String> unknown = new ArrayList<>();
        for (String f : release.getFeatureNames()) {
            if (!known.contains(f)) {
                unknown.add(f);
            }
        }
        if (!unknown.isEmpty()) {
            return new Checked(
                    null, "features not in the catalogue: " + String.join(", ", unknown));
        }
        ScoringModel model;
        try {
            model = ModelCodec.read(bytes(release));
        } catch (RuntimeException e) {
            return new Checked(null, "the model does not decode: " + e.getMessage());
        }
        if (!model.featureNames().equals(release.getFeatureNames())) {
            return new Checked(null, "the model's inputs differ from the release's feature names");
        }
        return new Checked(model, null);
    }

    private static byte[] bytes(ModelRelease release) {
        java.nio.ByteBuffer b = release.getModel().duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static String abbreviate(String hash) {
        return hash.length() > 12 ? hash.substring(0, 12) : hash;
    }

    public String version() {
        return version;
    }

    public String name() {
        return name;
    }

    /**
     * The model's input vector for a payment; a feature the payment lacks is NaN (missing).
     *
     * @param referenceAmount the payment's amount in minor units of the reference currency (the
     *     backfill's {@code amount_minor}, which models are trained on)
     */
    public double[] vector(long referenceAmount, Map<String, Double> features) {
        double[] x = new double[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i].equals(AMOUNT)) {
                x[i] = referenceAmount;
            } else {
                Double v = features.get(inputs[i]);
                x[i] = v == null ? Double.NaN : v;
            }
        }
        return x;
    }

    public double score(double[] x) {
        return model.score(x);
    }

    /** The features that raised the score most, as reason codes {@code ML_<FEATURE>}. */
    public List<ReasonCode> reasons(double[] x, double score, int top) {
        List<ReasonCode> out = new ArrayList<>();
        for (var c : model.explain(x, top)) {
            if (c.contribution() <= 0) {
                break;
            }
            out.add(
                    new ReasonCode(
                            "ML_" + c.feature().toUpperCase(Locale.ROOT),
                            String.format(
                                    Locale.ROOT,
                                    "Model %s scored %.2f; %s = %s raised it by %.3f",
                                    name,
                                    score,
                                    c.feature(),
                                    Double.isNaN(c.value())
                                            ? "missing"
                                            : String.format(Locale.ROOT, "%.4g", c.value()),
                                    c.contribution()),
                            "model:" + version));
        }
        return out;
    }
}
