package org.fraudplatform.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fraudplatform.schemas.testing.PaymentRequests.aBankTransferPayment;
import static org.fraudplatform.schemas.testing.PaymentRequests.aCardPayment;
import static org.fraudplatform.schemas.testing.PaymentRequests.aWalletPayment;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.fraudplatform.schemas.DeadLetter;
import org.fraudplatform.schemas.PaymentRequest;
import org.fraudplatform.schemas.ReasonCode;
import org.fraudplatform.schemas.RiskAction;
import org.fraudplatform.schemas.RiskDecision;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    private final InMemorySchemaRegistry registry = InMemorySchemaRegistry.inMemory();
    private final AvroSerde<PaymentRequest> requests =
            AvroSerde.forValues(PaymentRequest.class, registry);

    @Test
    void shouldRoundTripEveryKindOfInstrument() {
        for (PaymentRequest request :
                List.of(
                        aCardPayment().build(),
                        aBankTransferPayment().build(),
                        aWalletPayment().build())) {
            byte[] bytes = requests.serialize("payments.requests", request);

            assertThat(requests.deserialize("payments.requests", bytes)).isEqualTo(request);
        }
    }

    @Test
    void shouldWriteConfluentsWireFormatWithTheRegisteredSchemaId() {
        byte[] bytes = requests.serialize("payments.requests", aCardPayment().build());

        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        assertThat(bytes[0]).isZero();
        assertThat(registry.latest("payments.requests-value"))
                .hasValueSatisfying(r -> assertThat(r.id()).isEqualTo(id));
        assertThat(registry.schemaById(id)).isEqualTo(PaymentRequest.getClassSchema());
    }

    @Test
    void shouldRoundTripADecisionWithReasonsAndFeatures() {
        AvroSerde<RiskDecision> serde = AvroSerde.forValues(RiskDecision.class, registry);
        RiskDecision decision =
                RiskDecision.newBuilder()
                        .setPaymentId("pay_1")
                        .setMerchantId("m")
                        .setCorrelationId("c")
                        .setAction(RiskAction.DECLINE)
                        .setScore(0.9)
                        .setReasons(
                                List.of(new ReasonCode("VELOCITY_CARD_10M", "too many", "rule:x")))
                        .setRulesetVersion("abc")
                        .setFeatures(Map.of("card_count_10m", 6.0))
                        .setDecisionLatencyMicros(120)
                        .setDecidedAt(Instant.parse("2026-03-02T10:00:00Z"))
                        .build();

        assertThat(serde.deserialize("t", serde.serialize("t", decision))).isEqualTo(decision);
    }

    @Test
    void shouldPassNullThroughForTombstones() {
        assertThat(requests.serialize("t", null)).isNull();
        assertThat(requests.deserialize("t", null)).isNull();
    }

    @Test
    void shouldRefuseBytesThatAreNotWireFormatWithAClearReason() {
        assertThatThrownBy(() -> requests.deserialize("t", "{\"json\":1}".getBytes()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("magic byte 0x7b");
        assertThatThrownBy(() -> requests.deserialize("t", new byte[] {0, 0}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("fewer than the 5-byte header");
        assertThatThrownBy(() -> requests.deserialize("t", new byte[] {0, 0, 0, 0, 99, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("unknown schema id 99");
    }

    @Test
    void shouldRefuseATruncatedRecord() {
        byte[] bytes = requests.serialize("t", aCardPayment().build());
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 10);

        assertThatThrownBy(() -> requests.deserialize("t", truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("corrupt PaymentRequest");
    }

    @Test
    void shouldReadARecordWrittenWithAnOlderCompatibleSchema() throws Exception {
        // given a dead letter written by an older writer that had no 'headers' and 'errorClass'
        Schema old =
                SchemaBuilder.record("DeadLetter")
                        .namespace("org.fraudplatform.schemas")
                        .fields()
                        .requiredString("topic")
                        .requiredInt("partition")
                        .requiredLong("offset")
                        .name("key")
                        .type()
                        .optional()
                        .bytesType()
                        .name("value")
                        .type()
                        .optional()
                        .bytesType()
                        .requiredString("processor")
                        .requiredString("error")
                        .name("failedAt")
                        .type(
                                org.apache.avro.LogicalTypes.timestampMillis()
                                        .addToSchema(Schema.create(Schema.Type.LONG)))
                        .noDefault()
                        .endRecord();
        int oldId = registry.register("t-value", old);
        GenericRecord record = new GenericData.Record(old);
        record.put("topic", "payments.requests");
        record.put("partition", 2);
        record.put("offset", 7L);
        record.put("processor", "decode");
        record.put("error", "bad");
        record.put("failedAt", 1_000L);
        var out = new java.io.ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(oldId).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(old).write(record, encoder);
        encoder.flush();

        // when the current class reads it
        DeadLetter letter =
                AvroSerde.forValues(DeadLetter.class, registry).deserialize("t", out.toByteArray());

        // then the new fields take their defaults
        assertThat(letter.getOffset()).isEqualTo(7L);
        assertThat(letter.getHeaders()).isEmpty();
        assertThat(letter.getErrorClass()).isNull();
    }
}
