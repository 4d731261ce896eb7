package org.fraudplatform.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.fraudplatform.schemas.PaymentRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaRegistryTest {

    private static final Schema V1 =
            SchemaBuilder.record("Thing").fields().requiredString("a").endRecord();
    private static final Schema V2_COMPATIBLE =
            SchemaBuilder.record("Thing")
                    .fields()
                    .requiredString("a")
                    .name("b")
                    .type()
                    .intType()
                    .intDefault(0)
                    .endRecord();
    private static final Schema V2_BREAKING =
            SchemaBuilder.record("Thing").fields().requiredString("a").requiredInt("c").endRecord();

    @TempDir Path dir;

    @Test
    void shouldGiveTheSameSchemaTheSameIdAndNewVersionsNewIds() {
        InMemorySchemaRegistry registry = InMemorySchemaRegistry.inMemory();

        int first = registry.register("s-value", V1);
        int again = registry.register("s-value", V1);
        int second = registry.register("s-value", V2_COMPATIBLE);

        assertThat(again).isEqualTo(first);
        assertThat(second).isNotEqualTo(first);
        assertThat(registry.versions("s-value")).containsExactly(1, 2);
        assertThat(registry.latest("s-value"))
                .hasValueSatisfying(r -> assertThat(r.version()).isEqualTo(2));
    }

    @Test
    void shouldRefuseASchemaThatCannotReadTheLatestVersionsData() {
        InMemorySchemaRegistry registry = InMemorySchemaRegistry.inMemory();
        registry.register("s-value", V1);

        assertThatThrownBy(() -> registry.register("s-value", V2_BREAKING))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("not backward compatible");
    }

    @Test
    void shouldKeepIdsAcrossARestartWhenPersistent() {
        InMemorySchemaRegistry before = InMemorySchemaRegistry.persistentIn(dir);
        int id = before.register("payments.requests-value", PaymentRequest.getClassSchema());

        InMemorySchemaRegistry after = InMemorySchemaRegistry.persistentIn(dir);

        assertThat(after.schemaById(id)).isEqualTo(PaymentRequest.getClassSchema());
        assertThat(after.register("other-value", V1)).isGreaterThan(id);
    }

    @Test
    void shouldRegisterOneSchemaOnceUnderConcurrentRegistration() throws Exception {
        InMemorySchemaRegistry registry = InMemorySchemaRegistry.inMemory();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                calls.add(() -> registry.register("s-value", V1));
            }
            List<Integer> ids = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(calls)) {
                ids.add(f.get());
            }
            assertThat(ids).containsOnly(ids.get(0));
            assertThat(registry.versions("s-value")).containsExactly(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldSpeakConfluentsRestApiBetweenClientAndServer() throws Exception {
        InMemorySchemaRegistry backing = InMemorySchemaRegistry.inMemory();
        try (SchemaRegistryServer server =
                SchemaRegistryServer.start(backing, new InetSocketAddress("127.0.0.1", 0))) {
            RestSchemaRegistryClient client =
                    new RestSchemaRegistryClient(server.uri(), Duration.ofSeconds(5));

            int id = client.register("s-value", V1);
            int again =
                    new RestSchemaRegistryClient(server.uri(), Duration.ofSeconds(5))
                            .register("s-value", V1);

            assertThat(again).isEqualTo(id);
            assertThat(client.schemaById(id)).isEqualTo(V1);
            assertThat(client.versions("s-value")).containsExactly(1);
            assertThat(client.latest("s-value"))
                    .hasValueSatisfying(r -> assertThat(r.schema()).isEqualTo(V1));
            assertThat(client.isCompatible("s-value", V2_COMPATIBLE)).isTrue();
            assertThat(client.isCompatible("s-value", V2_BREAKING)).isFalse();
            assertThat(client.latest("missing-value")).isEmpty();
            assertThat(client.versions("missing-value")).isEmpty();
            assertThatThrownBy(() -> client.register("s-value", V2_BREAKING))
                    .isInstanceOf(IncompatibleSchemaException.class)
                    .hasMessageContaining("HTTP 409");
            assertThatThrownBy(() -> client.schemaById(999))
                    .isInstanceOf(SchemaNotFoundException.class);
        }
    }

    @Test
    void shouldOpenRegistriesByUrl() {
        assertThat(SchemaRegistries.connect("mem://a"))
                .isSameAs(SchemaRegistries.connect("mem://a"));
        assertThat(SchemaRegistries.connect("http://localhost:8081"))
                .isInstanceOf(RestSchemaRegistryClient.class);
        assertThatThrownBy(() -> SchemaRegistries.connect("ftp://x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
