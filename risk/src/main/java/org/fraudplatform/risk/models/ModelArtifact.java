package org.fraudplatform.risk.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fraudplatform.models.runtime.ModelCodec;
import org.fraudplatform.models.runtime.ScoringModel;
import org.fraudplatform.schemas.ModelRelease;
import org.fraudplatform.schemas.ModelStage;

/**
 * A trained model as a file ({@code <name>.model.json}): the portable model with everything needed
 * to trust it: its inputs in order and the feature catalogue they come from, the training and test
 * windows, its metrics, the seed and the library versions. Its version is the hash of its content,
 * so the same model always has the same version.
 */
public record ModelArtifact(
        String name,
        String kind,
        List<String> featureNames,
        String catalogueHash,
        Instant trainedFrom,
        Instant trainedTo,
        Instant testedFrom,
        Instant testedTo,
        Map<String, Double> metrics,
        long seed,
        Map<String, String> libraries,
        byte[] model) {

    static final int FORMAT = 1;
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public ModelArtifact {
        featureNames = List.copyOf(featureNames);
        metrics = new TreeMap<>(metrics);
        libraries = new TreeMap<>(libraries);
    }

    /** The file's content as JSON. */
    public byte[] toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("name", name);
        root.put("kind", kind);
        ArrayNode features = root.putArray("featureNames");
        featureNames.forEach(features::add);
        root.put("catalogueHash", catalogueHash);
        root.put("trainedFrom", trainedFrom.toString());
        root.put("trainedTo", trainedTo.toString());
        root.put("testedFrom", testedFrom.toString());
        root.put("testedTo", testedTo.toString());
        ObjectNode m = root.putObject("metrics");
        metrics.forEach(m::put);
        root.put("seed", seed);
        ObjectNode l = root.putObject("libraries");
        libraries.forEach(l::put);
        try {
            root.set("model", JSON.readTree(model));
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("the portable model is not JSON", e);
        }
    }

    /** Content hash: the first 12 hex digits of SHA-256 over the file's content. */
    public String version() {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(toJson()))
                    .substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The registry record of this model in {@code stage}, created and staged {@code at}. */
    public ModelRelease release(ModelStage stage, String author, String message, Instant at) {
        return ModelRelease.newBuilder()
                .setVersion(version())
                .setName(name)
                .setKind(kind)
                .setStage(stage)
                .setFeatureNames(featureNames)
                .setCatalogueHash(catalogueHash)
                .setTrainedFrom(trainedFrom)
                .setTrainedTo(trainedTo)
                .setTestedFrom(testedFrom)
                .setTestedTo(testedTo)
                .setMetrics(metrics)
                .setSeed(seed)
                .setLibraries(libraries)
                .setModel(ByteBuffer.wrap(model))
                .setAuthor(author)
                .setMessage(message)
                .setCreatedAt(at)
                .setStageChangedAt(at)
                .setStageChangedBy(author)
                .build();
    }

    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, toJson());
    }

    /**
     * Reads and checks a model file; a malformed one is refused with a reason a person can act on
     * (it names the missing or broken field), never half-read.
     */
    public static ModelArtifact read(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not a model file: " + e.getMessage());
        }
        try {
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            int format = required(root, "format").asInt();
            if (format != FORMAT) {
                throw new IllegalArgumentException("format " + format + " is not " + FORMAT);
            }
            List<String> features = new ArrayList<>();
            required(root, "featureNames").forEach(f -> features.add(f.asText()));
            Map<String, Double> metrics = new TreeMap<>();
            required(root, "metrics")
                    .fields()
                    .forEachRemaining(e -> metrics.put(e.getKey(), e.getValue().asDouble()));
            Map<String, String> libraries = new TreeMap<>();
            required(root, "libraries")
                    .fields()
                    .forEachRemaining(e -> libraries.put(e.getKey(), e.getValue().asText()));
            byte[] model = JSON.writeValueAsBytes(required(root, "model"));
            ScoringModel decoded = ModelCodec.read(model);
            if (!decoded.featureNames().equals(features)) {
                throw new IllegalArgumentException(
                        "featureNames differ from the model's own inputs");
            }
            return new ModelArtifact(
                    required(root, "name").asText(),
                    required(root, "kind").asText(),
                    features,
                    required(root, "catalogueHash").asText(),
                    Instant.parse(required(root, "trainedFrom").asText()),
                    Instant.parse(required(root, "trainedTo").asText()),
                    Instant.parse(required(root, "testedFrom").asText()),
                    Instant.parse(required(root, "testedTo").asText()),
                    metrics,
                    required(root, "seed").asLong(),
                    libraries,
                    model);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new IllegalArgumentException(
                    file + " is not a valid model file: " + e.getMessage());
        }
    }

    private static JsonNode required(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            throw new IllegalArgumentException("'" + field + "' is missing");
        }
        return n;
    }
}
