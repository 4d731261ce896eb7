package org.fraudplatform.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The REST client against canned answers copied from Confluent Schema Registry's API reference, so
 * the client is checked against the real API's shapes and error codes, not only our server.
 */
class RestSchemaRegistryClientTest {

    private static final String STRING_SCHEMA = "{\"type\":\"string\"}";
    private static final Map<String, String[]> ANSWERS =
            Map.of(
                    "POST /subjects/ok-value/versions", new String[] {"200", "{\"id\":1}"},
                    "GET /schemas/ids/1",
                            new String[] {"200", "{\"schema\":\"{\\\"type\\\":\\\"string\\\"}\"}"},
                    "GET /schemas/ids/2",
                            new String[] {
                                "404", "{\"error_code\":40403,\"message\":\"Schema not found\"}"
                            },
                    "GET /subjects/ok-value/versions", new String[] {"200", "[1,2,3]"},
                    "GET /subjects/ok-value/versions/latest",
                            new String[] {
                                "200",
                                "{\"subject\":\"ok-value\",\"id\":1,\"version\":3,\"schema\":\"{\\\"type\\\":\\\"string\\\"}\"}"
                            },
                    "GET /subjects/gone-value/versions/latest",
                            new String[] {
                                "404",
                                "{\"error_code\":40401,\"message\":\"Subject 'gone-value' not found.\"}"
                            },
                    "POST /subjects/clash-value/versions",
                            new String[] {
                                "409",
                                "{\"error_code\":409,\"message\":\"Schema being registered is incompatible with an earlier schema for subject \\\"clash-value\\\"\"}"
                            },
                    "POST /subjects/bad-value/versions",
                            new String[] {
                                "422",
                                "{\"error_code\":42201,\"message\":\"Either the input schema or one its references is invalid\"}"
                            },
                    "POST /subjects/down-value/versions",
                            new String[] {
                                "500",
                                "{\"error_code\":50001,\"message\":\"Error in the backend data store\"}"
                            });

    private HttpServer stub;
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private RestSchemaRegistryClient client;

    @BeforeEach
    void start() throws IOException {
        stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stub.createContext(
                "/",
                exchange -> {
                    String[] answer =
                            ANSWERS.getOrDefault(
                                    exchange.getRequestMethod()
                                            + " "
                                            + exchange.getRequestURI().getPath(),
                                    new String[] {
                                        "404",
                                        "{\"error_code\":404,\"message\":\"HTTP 404 Not Found\"}"
                                    });
                    String auth = exchange.getRequestHeaders().getFirst("Authorization");
                    authorizations.add(auth == null ? "none" : auth);
                    String type = exchange.getRequestHeaders().getFirst("Content-Type");
                    if (type != null) {
                        contentTypes.add(type);
                    }
                    byte[] body = answer[1].getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders()
                            .set("Content-Type", "application/vnd.schemaregistry.v1+json");
                    exchange.sendResponseHeaders(Integer.parseInt(answer[0]), body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                });
        stub.start();
        client =
                new RestSchemaRegistryClient(
                        URI.create("http://127.0.0.1:" + stub.getAddress().getPort()),
                        Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        stub.stop(0);
    }

    @Test
    void shouldRegisterAndReadSchemasInConfluentsFormat() {
        Schema schema = new Schema.Parser().parse(STRING_SCHEMA);

        assertThat(client.register("ok-value", schema)).isEqualTo(1);
        assertThat(client.schemaById(1)).isEqualTo(schema);
        assertThat(client.versions("ok-value")).containsExactly(1, 2, 3);
        assertThat(client.latest("ok-value"))
                .hasValueSatisfying(
                        r -> {
                            assertThat(r.version()).isEqualTo(3);
                            assertThat(r.id()).isEqualTo(1);
                        });
        assertThat(contentTypes).containsOnly("application/vnd.schemaregistry.v1+json");
    }

    @Test
    void shouldAuthenticateWithTheUserOfTheUrlAndNeverNameItsPassword() {
        Schema schema = new Schema.Parser().parse(STRING_SCHEMA);
        RestSchemaRegistryClient withUser =
                new RestSchemaRegistryClient(
                        URI.create(
                                "http://fraud:s%40cret@127.0.0.1:" + stub.getAddress().getPort()),
                        Duration.ofSeconds(5));

        assertThat(withUser.register("ok-value", schema)).isEqualTo(1);
        assertThatThrownBy(() -> withUser.register("down-value", schema))
                .hasMessageNotContaining("s@cret")
                .hasMessageNotContaining("s%40cret");
        assertThat(client.register("ok-value", schema)).isEqualTo(1);

        String basic =
                "Basic "
                        + java.util.Base64.getEncoder()
                                .encodeToString("fraud:s@cret".getBytes(StandardCharsets.UTF_8));
        assertThat(authorizations).containsExactly(basic, basic, "none");
    }

    @Test
    void shouldMapConfluentsErrorCodesToClearExceptions() {
        Schema schema = new Schema.Parser().parse(STRING_SCHEMA);

        assertThat(client.latest("gone-value")).isEmpty();
        assertThatThrownBy(() -> client.schemaById(2)).isInstanceOf(SchemaNotFoundException.class);
        assertThatThrownBy(() -> client.register("clash-value", schema))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("incompatible with an earlier schema");
        assertThatThrownBy(() -> client.register("bad-value", schema))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("error 42201");
        assertThatThrownBy(() -> client.register("down-value", schema))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("HTTP 500, error 50001");
    }

    @Test
    void shouldAskTheRegistryOnlyOncePerSchema() {
        Schema schema = new Schema.Parser().parse(STRING_SCHEMA);
        client.register("ok-value", schema);
        stub.stop(0);

        assertThat(client.register("ok-value", schema)).isEqualTo(1);
        assertThat(client.schemaById(1)).isEqualTo(schema);
    }
}
