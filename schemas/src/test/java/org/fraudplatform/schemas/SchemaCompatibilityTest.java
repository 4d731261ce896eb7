package org.fraudplatform.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaCompatibility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every event contract evolves only BACKWARD compatibly: the current schema reads data written with
 * each committed version under {@code src/test/resources/schema-history/<Record>/vN.avsc}, and the
 * newest committed version is the current schema. Changing a schema therefore means adding {@code
 * v<N+1>.avsc}, and this test refuses the change if old events become unreadable.
 */
class SchemaCompatibilityTest {

    static Stream<Schema> contracts() {
        return Stream.of(
                PaymentRequest.getClassSchema(),
                RiskDecision.getClassSchema(),
                PaymentEvent.getClassSchema(),
                DeadLetter.getClassSchema(),
                FeatureUpdate.getClassSchema(),
                FeaturePart.getClassSchema(),
                PendingDecision.getClassSchema(),
                RulesetRelease.getClassSchema(),
                AuditEvent.getClassSchema(),
                ListEntry.getClassSchema(),
                PaymentCommand.getClassSchema(),
                CommandResult.getClassSchema(),
                Label.getClassSchema(),
                ModelRelease.getClassSchema(),
                SettlementRecord.getClassSchema(),
                SettlementFile.getClassSchema(),
                ReconciliationResolution.getClassSchema(),
                ReconciliationItem.getClassSchema(),
                CustomerNotification.getClassSchema());
    }

    static List<Schema> history(Schema current) throws IOException {
        List<Schema> versions = new ArrayList<>();
        for (int v = 1; ; v++) {
            String path = "/schema-history/" + current.getName() + "/v" + v + ".avsc";
            try (InputStream in = SchemaCompatibilityTest.class.getResourceAsStream(path)) {
                if (in == null) {
                    return versions;
                }
                versions.add(new Schema.Parser().parse(in));
            }
        }
    }

    static boolean canRead(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType()
                == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("contracts")
    void shouldReadEveryCommittedVersionOfTheContract(Schema current) throws IOException {
        List<Schema> versions = history(current);

        assertThat(versions).as("committed versions of %s", current.getName()).isNotEmpty();
        for (int i = 0; i < versions.size(); i++) {
            assertThat(canRead(current, versions.get(i)))
                    .as("%s must read data written with v%d", current.getName(), i + 1)
                    .isTrue();
        }
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("contracts")
    void shouldHaveCommittedTheCurrentSchemaAsTheNewestVersion(Schema current) throws IOException {
        List<Schema> versions = history(current);

        assertThat(versions.get(versions.size() - 1))
                .as(
                        "%s changed: check it reads v%d, then add schema-history/%s/v%d.avsc",
                        current.getName(), versions.size(), current.getName(), versions.size() + 1)
                .isEqualTo(current);
    }

    @Test
    void shouldCatchANewFieldWithoutADefault() {
        Schema old = SchemaBuilder.record("R").fields().requiredString("a").endRecord();
        Schema breaking =
                SchemaBuilder.record("R")
                        .fields()
                        .requiredString("a")
                        .requiredLong("b")
                        .endRecord();
        Schema evolving =
                SchemaBuilder.record("R")
                        .fields()
                        .requiredString("a")
                        .name("b")
                        .type()
                        .longType()
                        .longDefault(0)
                        .endRecord();

        assertThat(canRead(breaking, old)).isFalse();
        assertThat(canRead(evolving, old)).isTrue();
    }

    /**
     * A record embeds the same version of every type it shares with another contract: the Avro
     * plugin regenerates a class only when its own file changed, so after a change to {@code
     * PaymentEvent.avsc} an incremental build can leave {@code PaymentCommand} with the old event
     * inside, and its writers emit what no reader of the new event decodes. Build with {@code
     * clean} when this fails.
     */
    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("contracts")
    void shouldEmbedTheCurrentVersionOfEveryNamedType(Schema current) throws Exception {
        java.util.Map<String, Schema> named = new java.util.LinkedHashMap<>();
        collectNamed(current, named);
        for (Schema inner : named.values()) {
            Class<?> generated = Class.forName(inner.getFullName());
            Schema own = (Schema) generated.getField("SCHEMA$").get(null);
            assertThat(inner)
                    .as(
                            "%s inside %s is stale: build the schemas module with clean",
                            inner.getFullName(), current.getName())
                    .isEqualTo(own);
        }
    }

    private static void collectNamed(Schema s, java.util.Map<String, Schema> named) {
        switch (s.getType()) {
            case RECORD -> {
                if (named.putIfAbsent(s.getFullName(), s) == null) {
                    s.getFields().forEach(f -> collectNamed(f.schema(), named));
                }
            }
            case ENUM, FIXED -> named.putIfAbsent(s.getFullName(), s);
            case ARRAY -> collectNamed(s.getElementType(), named);
            case MAP -> collectNamed(s.getValueType(), named);
            case UNION -> s.getTypes().forEach(t -> collectNamed(t, named));
            default -> {}
        }
    }
}
