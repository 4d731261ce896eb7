package org.fraudplatform.api.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi31;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests and replies checked against the API's OpenAPI 3.1 description: the operation of a method
 * and a concrete path (matched against the templated paths), the response of a status (or the
 * operation's {@code default}), its content type and headers, and the body against the schema of
 * the operation's request or response, {@code $ref}s into {@code components/schemas} resolved by
 * the JSON Schema validator over the whole document.
 *
 * <p>Every check answers a list of mismatches, empty when the traffic matches the description.
 */
public final class OpenApiContract {

    /** Where the document is on the class path. */
    public static final String RESOURCE = "openapi.json";

    /** The document's own identifier, for the validator's {@code $ref} resolution. */
    private static final String DOCUMENT_IRI = "urn:fraudplatform:openapi";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> METHODS =
            List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    private final JsonNode document;
    private final JsonSchemaFactory schemas;
    private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();

    private OpenApiContract(byte[] document) {
        try {
            this.document = JSON.readTree(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.schemas =
                JsonSchemaFactory.getInstance(
                        SpecVersion.VersionFlag.V202012,
                        builder ->
                                builder.metaSchema(OpenApi31.getInstance())
                                        .defaultMetaSchemaIri(OpenApi31.getInstance().getIri())
                                        .schemaLoaders(
                                                loaders ->
                                                        loaders.add(
                                                                iri ->
                                                                        iri.toString()
                                                                                        .equals(
                                                                                                DOCUMENT_IRI)
                                                                                ? () ->
                                                                                        new ByteArrayInputStream(
                                                                                                document)
                                                                                : null)));
    }

    /** The document as the API's jar carries it. */
    public static OpenApiContract packaged() {
        try (InputStream in =
                OpenApiContract.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path");
            }
            return of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A document's bytes (JSON). */
    public static OpenApiContract of(byte[] document) {
        return new OpenApiContract(document);
    }

    public JsonNode document() {
        return document;
    }

    /** One operation of the document: its templated path, its method and its description. */
    public record Operation(String path, String method, JsonNode node) {
        public String id() {
            return node.path("operationId").asText();
        }

        @Override
        public String toString() {
            return method.toUpperCase(Locale.ROOT) + " " + path;
        }
    }

    /** Every operation of the document, in its order. */
    public List<Operation> operations() {
        List<Operation> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
                paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (String method : METHODS) {
                if (path.getValue().has(method)) {
                    out.add(new Operation(path.getKey(), method, path.getValue().get(method)));
                }
            }
        }
        return out;
    }

    /**
     * The operation of a request: the templated path that matches every segment of {@code path} (a
     * template segment {@code {name}} matches any one segment), the one with most literal segments
     * first; empty when the document has none.
     */
    public Optional<Operation> operation(String method, String path) {
        String m = method.toLowerCase(Locale.ROOT);
        String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        String[] segments = bare.split("/", -1);
        Operation best = null;
        int bestLiterals = -1;
        for (Operation op : operations()) {
            if (!op.method().equals(m)) {
                continue;
            }
            String[] template = op.path().split("/", -1);
            if (template.length != segments.length) {
                continue;
            }
            int literals = 0;
            boolean matches = true;
            for (int i = 0; i < template.length && matches; i++) {
                if (template[i].startsWith("{") && template[i].endsWith("}")) {
                    matches = !segments[i].isEmpty();
                } else if (template[i].equals(segments[i])) {
                    literals++;
                } else {
                    matches = false;
                }
            }
            if (matches && literals > bestLiterals) {
                best = op;
                bestLiterals = literals;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Mismatches of a request: no operation for it, a required header parameter missing, a body the
     * operation requires missing, a body that is not JSON or does not match the schema.
     *
     * @param headers the request's headers (names in any case)
     * @param body the body, or null or empty for none
     */
    public List<String> checkRequest(
            String method, String path, Map<String, String> headers, String body) {
        String where = method + " " + path + " request";
        Optional<Operation> found = operation(method, path);
        if (found.isEmpty()) {
            return List.of(where + ": no operation in the document");
        }
        List<String> problems = new ArrayList<>();
        Operation op = found.get();
        for (JsonNode parameter : parameters(op)) {
            if (parameter.path("in").asText().equals("header")
                    && parameter.path("required").asBoolean(false)
                    && header(headers, parameter.path("name").asText()) == null) {
                problems.add(where + ": header " + parameter.path("name").asText() + " missing");
            }
        }
        JsonNode requestBody = resolve(op.node().path("requestBody"));
        boolean hasBody = body != null && !body.isEmpty();
        if (!hasBody) {
            if (requestBody.path("required").asBoolean(false)) {
                problems.add(where + ": the body is required");
            }
            return problems;
        }
        if (requestBody.isMissingNode()) {
            problems.add(where + ": the operation takes no body");
            return problems;
        }
        JsonNode schema = requestBody.path("content").path("application/json").path("schema");
        if (schema.isMissingNode()) {
            problems.add(where + ": no application/json body described");
            return problems;
        }
        problems.addAll(validate(where, schema, body));
        return problems;
    }

    /**
     * Mismatches of a reply: no operation, an undocumented status (without a {@code default}), a
     * content type or body the response does not describe, a header it describes missing (its
     * {@code Request-Id}).
     *
     * @param headers the reply's headers (names in any case)
     */
    public List<String> checkResponse(
            String method,
            String path,
            int status,
            Map<String, String> headers,
            String contentType,
            String body) {
        String where = method + " " + path + " " + status;
        Optional<Operation> found = operation(method, path);
        if (found.isEmpty()) {
            return List.of(where + ": no operation in the document");
        }
        JsonNode responses = found.get().node().path("responses");
        JsonNode response = responses.path(Integer.toString(status));
        if (response.isMissingNode()) {
            response = responses.path(status / 100 + "XX");
        }
        if (response.isMissingNode()) {
            response = responses.path("default");
        }
        if (response.isMissingNode()) {
            return List.of(where + ": status not documented");
        }
        response = resolve(response);
        List<String> problems = new ArrayList<>();
        for (Iterator<String> names = response.path("headers").fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (header(headers, name) == null
                    && resolve(response.path("headers").path(name))
                            .path("required")
                            .asBoolean(name.equals("Request-Id"))) {
                problems.add(where + ": header " + name + " missing");
            }
        }
        JsonNode content = response.path("content");
        boolean hasBody = body != null && !body.isEmpty();
        if (content.isMissingNode() || content.isEmpty()) {
            if (hasBody) {
                problems.add(where + ": a body where the document describes none");
            }
            return problems;
        }
        String type =
                contentType == null
                        ? ""
                        : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        JsonNode media = content.path(type);
        if (media.isMissingNode()) {
            problems.add(
                    where
                            + ": content type "
                            + (contentType == null ? "missing" : contentType)
                            + ", the document describes "
                            + fieldNames(content));
            return problems;
        }
        if (!type.endsWith("json")) {
            return problems;
        }
        problems.addAll(validate(where, media.path("schema"), body));
        return problems;
    }

    private List<String> validate(String where, JsonNode schema, String body) {
        JsonNode instance;
        try {
            instance = JSON.readTree(body == null ? "" : body);
        } catch (IOException e) {
            return List.of(where + ": the body is not JSON: " + e.getMessage());
        }
        if (instance == null || instance.isMissingNode()) {
            return List.of(where + ": the body is empty");
        }
        List<String> problems = new ArrayList<>();
        for (ValidationMessage message : schema(schema).validate(instance)) {
            problems.add(where + ": " + message.getMessage());
        }
        return problems;
    }

    private JsonSchema schema(JsonNode schema) {
        String ref = schema.path("$ref").asText("");
        if (ref.startsWith("#/")) {
            return compiled.computeIfAbsent(
                    ref, r -> schemas.getSchema(SchemaLocation.of(DOCUMENT_IRI + r)));
        }
        // an inline schema: valid alone only without references into the document
        return compiled.computeIfAbsent(schema.toString(), s -> schemas.getSchema(schema));
    }

    /** Follows a {@code $ref} to a component (a response, a parameter, a header). */
    private JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        for (int hops = 0; hops < 10 && current.has("$ref"); hops++) {
            current = pointer(current.get("$ref").asText());
        }
        return current;
    }

    /** The node a local reference ({@code #/components/…}) points at; missing when none. */
    public JsonNode pointer(String ref) {
        if (!ref.startsWith("#")) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
        return document.at(ref.substring(1));
    }

    private List<JsonNode> parameters(Operation op) {
        List<JsonNode> out = new ArrayList<>();
        document.path("paths").path(op.path()).path("parameters").forEach(p -> out.add(resolve(p)));
        op.node().path("parameters").forEach(p -> out.add(resolve(p)));
        return out;
    }

    private static String header(Map<String, String> headers, String name) {
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
