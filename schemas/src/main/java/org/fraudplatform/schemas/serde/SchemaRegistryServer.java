package org.fraudplatform.schemas.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaParseException;

/**
 * Serves an {@link InMemorySchemaRegistry} on the subset of Confluent Schema Registry's REST API
 * that serdes and tools use, with Confluent's JSON bodies and error codes:
 *
 * <ul>
 *   <li>{@code POST /subjects/{subject}/versions} → {@code {"id": n}} (409 when incompatible,
 *       422/42201 for an invalid schema)
 *   <li>{@code GET /schemas/ids/{id}} → {@code {"schema": "..."}} (404/40403)
 *   <li>{@code GET /subjects} → {@code ["a-value", ...]}
 *   <li>{@code GET /subjects/{subject}/versions} → {@code [1, 2]} (404/40401)
 *   <li>{@code GET /subjects/{subject}/versions/{version|latest}} → subject, id, version, schema
 *   <li>{@code POST /compatibility/subjects/{subject}/versions/latest} → {@code {"is_compatible":
 *       b}}
 * </ul>
 *
 * The embedded platform serves its registry with it so that other processes share the ids.
 */
public final class SchemaRegistryServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SUBJECT_VERSIONS = Pattern.compile("/subjects/([^/]+)/versions");
    private static final Pattern SUBJECT_VERSION =
            Pattern.compile("/subjects/([^/]+)/versions/([^/]+)");
    private static final Pattern SCHEMA_BY_ID = Pattern.compile("/schemas/ids/(\\d+)");
    private static final Pattern COMPATIBILITY =
            Pattern.compile("/compatibility/subjects/([^/]+)/versions/latest");

    private final HttpServer server;
    private final InMemorySchemaRegistry registry;
    private final ExecutorService executor;

    private SchemaRegistryServer(HttpServer server, InMemorySchemaRegistry registry) {
        this.server = server;
        this.registry = registry;
        this.executor =
                Executors.newFixedThreadPool(
                        2,
                        r -> {
                            Thread t = new Thread(r, "schema-registry-http");
                            t.setDaemon(true);
                            return t;
                        });
    }

    public static SchemaRegistryServer start(
            InMemorySchemaRegistry registry, InetSocketAddress address) throws IOException {
        HttpServer server = HttpServer.create(address, 64);
        SchemaRegistryServer api = new SchemaRegistryServer(server, registry);
        server.createContext("/", api::handle);
        server.setExecutor(api.executor);
        server.start();
        return api;
    }

    public URI uri() {
        InetSocketAddress address = server.getAddress();
        String host =
                address.getAddress().isAnyLocalAddress() ? "localhost" : address.getHostString();
        return URI.create("http://" + host + ":" + address.getPort());
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            Matcher m;
            if (method.equals("GET") && path.equals("/subjects")) {
                ArrayNode subjects = JSON.createArrayNode();
                registry.subjects().forEach(subjects::add);
                send(exchange, 200, subjects);
            } else if ((m = SCHEMA_BY_ID.matcher(path)).matches() && method.equals("GET")) {
                try {
                    Schema schema = registry.schemaById(Integer.parseInt(m.group(1)));
                    send(exchange, 200, JSON.createObjectNode().put("schema", schema.toString()));
                } catch (SchemaNotFoundException e) {
                    error(exchange, 404, 40403, "Schema not found");
                }
            } else if ((m = SUBJECT_VERSIONS.matcher(path)).matches()) {
                String subject = decode(m.group(1));
                if (method.equals("POST")) {
                    Schema schema = schemaFromBody(exchange);
                    if (schema == null) {
                        return;
                    }
                    try {
                        send(
                                exchange,
                                200,
                                JSON.createObjectNode()
                                        .put("id", registry.register(subject, schema)));
                    } catch (IncompatibleSchemaException e) {
                        error(exchange, 409, 409, e.getMessage());
                    }
                } else if (registry.versions(subject).isEmpty()) {
                    error(exchange, 404, 40401, "Subject '" + subject + "' not found.");
                } else {
                    ArrayNode versions = JSON.createArrayNode();
                    registry.versions(subject).forEach(versions::add);
                    send(exchange, 200, versions);
                }
            } else if ((m = SUBJECT_VERSION.matcher(path)).matches() && method.equals("GET")) {
                String subject = decode(m.group(1));
                if (registry.versions(subject).isEmpty()) {
                    error(exchange, 404, 40401, "Subject '" + subject + "' not found.");
                    return;
                }
                var found =
                        m.group(2).equals("latest")
                                ? registry.latest(subject)
                                : parseVersion(m.group(2))
                                        .flatMap(v -> registry.version(subject, v));
                if (found.isEmpty()) {
                    error(exchange, 404, 40402, "Version " + m.group(2) + " not found.");
                    return;
                }
                var r = found.get();
                send(
                        exchange,
                        200,
                        JSON.createObjectNode()
                                .put("subject", r.subject())
                                .put("version", r.version())
                                .put("id", r.id())
                                .put("schema", r.schema().toString()));
            } else if ((m = COMPATIBILITY.matcher(path)).matches() && method.equals("POST")) {
                String subject = decode(m.group(1));
                Schema schema = schemaFromBody(exchange);
                if (schema == null) {
                    return;
                }
                var latest = registry.latest(subject);
                if (latest.isEmpty()) {
                    error(exchange, 404, 40401, "Subject '" + subject + "' not found.");
                    return;
                }
                boolean compatible =
                        SchemaCompatibility.checkReaderWriterCompatibility(
                                                schema, latest.get().schema())
                                        .getType()
                                == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
                send(exchange, 200, JSON.createObjectNode().put("is_compatible", compatible));
            } else {
                error(exchange, 404, 404, "HTTP 404 Not Found");
            }
        } catch (IOException | RuntimeException e) {
            try {
                error(exchange, 500, 50001, "Error in the backend data store: " + e.getMessage());
            } catch (IOException ignored) {
                // the client has gone; nothing to tell
            }
        }
    }

    private static java.util.Optional<Integer> parseVersion(String text) {
        try {
            return java.util.Optional.of(Integer.parseInt(text));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    /** The {@code schema} of the request body, or null after answering 422 when it is invalid. */
    private static Schema schemaFromBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            JsonNode body = JSON.readTree(in);
            JsonNode text = body == null ? null : body.get("schema");
            if (text == null || !text.isTextual()) {
                error(exchange, 422, 42201, "Invalid schema: the body needs a 'schema' string");
                return null;
            }
            return new Schema.Parser().parse(text.asText());
        } catch (SchemaParseException | com.fasterxml.jackson.core.JsonProcessingException e) {
            error(exchange, 422, 42201, "Invalid schema: " + e.getMessage());
            return null;
        }
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment, StandardCharsets.UTF_8);
    }

    private static void error(HttpExchange exchange, int status, int code, String message)
            throws IOException {
        ObjectNode body = JSON.createObjectNode().put("error_code", code).put("message", message);
        send(exchange, status, body);
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", RestSchemaRegistryClient.CONTENT_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
