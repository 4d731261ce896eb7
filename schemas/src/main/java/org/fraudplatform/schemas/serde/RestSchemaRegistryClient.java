package org.fraudplatform.schemas.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A client of Confluent Schema Registry's REST API (also served by Apicurio's ccompat API and by
 * {@link SchemaRegistryServer}). Ids and registrations are cached: each schema costs one request
 * per process. Error codes map to exceptions: 40401/40403 → {@link SchemaNotFoundException} or
 * empty results, 409 → {@link IncompatibleSchemaException}, anything else → {@link
 * SchemaRegistryException} with the registry's message.
 */
public final class RestSchemaRegistryClient implements SchemaRegistry {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http;
    private final Duration timeout;
    private final String authorization;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<String, Integer> idsBySubjectAndSchema = new ConcurrentHashMap<>();

    /**
     * @param base the registry's address; user information in it ({@code
     *     https://user:password@registry:8081}) is sent as HTTP basic authentication, as
     *     Confluent's clients do with {@code basic.auth.user.info}, and never appears in a message
     */
    public RestSchemaRegistryClient(URI base, Duration timeout) {
        String userInfo = base.getRawUserInfo();
        URI withoutUser = base;
        if (userInfo != null) {
            try {
                withoutUser =
                        new URI(
                                base.getScheme(),
                                null,
                                base.getHost(),
                                base.getPort(),
                                base.getPath(),
                                base.getQuery(),
                                base.getFragment());
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("schema registry URL is malformed", e);
            }
        }
        String text = withoutUser.toString();
        this.base = URI.create(text.endsWith("/") ? text : text + "/");
        this.authorization =
                userInfo == null
                        ? null
                        : "Basic "
                                + java.util.Base64.getEncoder()
                                        .encodeToString(
                                                java.net.URLDecoder.decode(
                                                                userInfo, StandardCharsets.UTF_8)
                                                        .getBytes(StandardCharsets.UTF_8));
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public int register(String subject, Schema schema) {
        String key = subject + '\n' + schema;
        Integer cached = idsBySubjectAndSchema.get(key);
        if (cached != null) {
            return cached;
        }
        JsonNode reply =
                call(
                                "POST",
                                "subjects/" + encode(subject) + "/versions",
                                JSON.createObjectNode().put("schema", schema.toString()))
                        .orElseThrow(
                                () ->
                                        new SchemaRegistryException(
                                                "subject " + subject + " not found"));
        int id = reply.get("id").asInt();
        idsBySubjectAndSchema.put(key, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode reply =
                call("GET", "schemas/ids/" + id, null)
                        .orElseThrow(() -> new SchemaNotFoundException("no schema with id " + id));
        Schema schema = parse(reply.get("schema").asText());
        schemasById.put(id, schema);
        return schema;
    }

    @Override
    public Optional<RegisteredSchema> latest(String subject) {
        return call("GET", "subjects/" + encode(subject) + "/versions/latest", null)
                .map(
                        node ->
                                new RegisteredSchema(
                                        node.get("subject").asText(),
                                        node.get("version").asInt(),
                                        node.get("id").asInt(),
                                        parse(node.get("schema").asText())));
    }

    @Override
    public List<Integer> versions(String subject) {
        List<Integer> versions = new ArrayList<>();
        call("GET", "subjects/" + encode(subject) + "/versions", null)
                .ifPresent(node -> node.forEach(v -> versions.add(v.asInt())));
        return versions;
    }

    /** Asks the registry whether the schema could be registered under the subject now. */
    public boolean isCompatible(String subject, Schema schema) {
        return call(
                        "POST",
                        "compatibility/subjects/" + encode(subject) + "/versions/latest",
                        JSON.createObjectNode().put("schema", schema.toString()))
                .map(node -> node.get("is_compatible").asBoolean())
                .orElse(true);
    }

    /** The reply body, empty for a 404 (subject, version or schema not found). */
    private Optional<JsonNode> call(String method, String path, JsonNode body) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(base.resolve(path))
                        .timeout(timeout)
                        .header("Accept", CONTENT_TYPE + ", application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (body != null) {
            request.header("Content-Type", CONTENT_TYPE);
            request.method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SchemaRegistryException(
                    "schema registry " + base + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("interrupted calling schema registry " + base, e);
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return Optional.of(read(response.body()));
        }
        ErrorBody error = ErrorBody.of(response.body(), status);
        if (status == 404) {
            return Optional.empty();
        }
        if (status == 409) {
            throw new IncompatibleSchemaException(error.describe(method, path));
        }
        throw new SchemaRegistryException(error.describe(method, path));
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new SchemaRegistryException(
                    "schema registry answered with invalid JSON: " + e.getMessage(), e);
        }
    }

    private static Schema parse(String text) {
        try {
            return new Schema.Parser().parse(text);
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException(
                    "schema registry returned an invalid schema: " + e.getMessage(), e);
        }
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8);
    }

    /** Confluent's error body: {@code {"error_code": 40401, "message": "Subject not found."}}. */
    record ErrorBody(int httpStatus, int errorCode, String message) {
        static ErrorBody of(String body, int status) {
            try {
                JsonNode node = JSON.readTree(body);
                return new ErrorBody(
                        status,
                        node.path("error_code").asInt(status),
                        node.path("message").asText(body));
            } catch (IOException | RuntimeException e) {
                return new ErrorBody(status, status, body);
            }
        }

        String describe(String method, String path) {
            return method
                    + " /"
                    + path
                    + " failed: HTTP "
                    + httpStatus
                    + ", error "
                    + errorCode
                    + ": "
                    + message;
        }
    }
}
