package org.fraudplatform.platform.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fraudplatform.features.FeatureCatalogue;
import org.fraudplatform.models.runtime.ModelCodec;
import org.fraudplatform.models.runtime.TreeEnsemble;
import org.fraudplatform.models.training.XgboostImport;
import org.fraudplatform.risk.models.LoadedModel;
import org.fraudplatform.risk.models.ModelArtifact;
import org.fraudplatform.schemas.ModelStage;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fraud models import}: a model trained elsewhere becomes a model file of the platform. */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Imports a model trained elsewhere as a model file for 'fraud models register':"
                    + " XGBoost's JSON model (booster.save_model(\"model.json\") in Python; objective"
                    + " binary:logistic, gbtree, numeric splits), scored from then on by the"
                    + " platform's portable trees, as XGBoost predicts within 1e-6.",
            "Its inputs are the file's own feature_names (a booster trained on a data frame) or"
                    + " --feature-names, in the booster's column order; each must be amount_minor"
                    + " or a feature of the catalogue (the same check 'models register' makes), so"
                    + " the model is trained on a backfill of that catalogue.",
            "Writes <out>, recording the catalogue hash, the training days and the importer; the"
                    + " file carries no metrics: evaluate it with 'fraud models evaluate' first."
        })
final class ModelsImportCommand implements Callable<Integer> {

    @Option(names = "--xgboost", required = true, description = "XGBoost's JSON model file.")
    Path xgboost;

    @Option(
            names = "--feature-names",
            split = ",",
            description =
                    "The model's inputs in column order, for a file without feature_names"
                            + " (must equal them when the file has them).")
    List<String> featureNames;

    @Option(
            names = "--trained",
            required = true,
            description = "The days it was trained on, FROM..TO inclusive (UTC), as recorded.")
    String trained;

    @Option(
            names = "--name",
            defaultValue = "imported-xgboost",
            description = "The model's name. Default: ${DEFAULT-VALUE}")
    String name;

    @Option(names = "--out", required = true, description = "The model file to write.")
    Path out;

    @CommandLine.Mixin
    FeaturesCommand.CatalogueOptions features = new FeaturesCommand.CatalogueOptions();

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter log = spec.commandLine().getOut();
        Instant[] days = days(trained);
        TreeEnsemble model = XgboostImport.read(xgboost, featureNames);
        FeatureCatalogue catalogue = features.catalogue();
        ModelArtifact artifact =
                new ModelArtifact(
                        name,
                        model.kind(),
                        model.featureNames(),
                        catalogue.hash(),
                        days[0],
                        days[1],
                        days[1],
                        days[1],
                        Map.of(),
                        0,
                        Map.of("imported_from", "xgboost json " + xgboost.getFileName()),
                        ModelCodec.write(model));
        LoadedModel.problem(
                        artifact.release(ModelStage.CANDIDATE, "import", "import", days[1]),
                        catalogue)
                .ifPresent(
                        p -> {
                            throw new IllegalArgumentException(xgboost + " refused: " + p);
                        });
        artifact.write(out);
        log.printf(
                "Imported %d trees over %d features from %s → %s (version %s). Evaluate it with"
                        + " 'fraud models evaluate', then 'fraud models register %s -m …'%n",
                model.trees().size(),
                model.featureNames().size(),
                xgboost,
                out,
                artifact.version(),
                out);
        log.flush();
        return 0;
    }

    /** Start of the first day and of the day after the last. */
    private static Instant[] days(String range) {
        String[] parts = range.split("\\.\\.");
        if (parts.length != 2) {
            throw new IllegalArgumentException("--trained must be FROM..TO, was " + range);
        }
        try {
            LocalDate from = LocalDate.parse(parts[0].trim());
            LocalDate to = LocalDate.parse(parts[1].trim());
            if (to.isBefore(from)) {
                throw new IllegalArgumentException("--trained ends before it starts: " + range);
            }
            return new Instant[] {
                from.atStartOfDay().toInstant(ZoneOffset.UTC),
                to.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC)
            };
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--trained: " + e.getMessage());
        }
    }
}
