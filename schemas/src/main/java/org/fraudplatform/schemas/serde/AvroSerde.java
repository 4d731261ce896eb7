package org.fraudplatform.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro in Confluent's wire format: magic byte {@code 0}, the schema's 4-byte big-endian global id,
 * then the Avro binary encoding. The serializer registers the record's schema under the topic's
 * subject ({@code <topic>-value} or {@code <topic>-key}) once and caches the id; the deserializer
 * looks up the writer's schema by id (cached) and resolves it to the generated class's schema, so
 * records written with an older compatible schema decode.
 *
 * @param <T> the generated record class
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

    static final byte MAGIC_BYTE = 0;
    private static final int HEADER = 5;

    private final Class<T> type;
    private final Schema readerSchema;
    private final SchemaRegistry registry;
    private final String subjectSuffix;
    private final Map<String, Integer> idBySubject = new ConcurrentHashMap<>();
    private final Map<Integer, SpecificDatumReader<T>> readersByWriterId =
            new ConcurrentHashMap<>();
    private final SpecificDatumWriter<T> writer;

    private AvroSerde(Class<T> type, SchemaRegistry registry, String subjectSuffix) {
        AvroSupport.trustProjectPackages();
        this.type = Objects.requireNonNull(type);
        this.registry = Objects.requireNonNull(registry);
        this.subjectSuffix = subjectSuffix;
        this.readerSchema = SpecificData.get().getSchema(type);
        this.writer = new SpecificDatumWriter<>(readerSchema);
    }

    /** Serde for record values, subject {@code <topic>-value}. */
    public static <T extends SpecificRecord> AvroSerde<T> forValues(
            Class<T> type, SchemaRegistry registry) {
        return new AvroSerde<>(type, registry, "-value");
    }

    /** Serde for record keys, subject {@code <topic>-key}. */
    public static <T extends SpecificRecord> AvroSerde<T> forKeys(
            Class<T> type, SchemaRegistry registry) {
        return new AvroSerde<>(type, registry, "-key");
    }

    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        int id =
                idBySubject.computeIfAbsent(
                        topic + subjectSuffix, subject -> registry.register(subject, readerSchema));
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            out.write(MAGIC_BYTE);
            out.write(ByteBuffer.allocate(4).putInt(id).array());
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer.write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "cannot serialize "
                            + type.getSimpleName()
                            + " for topic "
                            + topic
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }

    public T deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (bytes.length < HEADER) {
            throw new SerializationException(
                    "not Confluent wire format: "
                            + bytes.length
                            + " bytes, fewer than the 5-byte header");
        }
        if (bytes[0] != MAGIC_BYTE) {
            throw new SerializationException(
                    String.format(
                            "not Confluent wire format: magic byte 0x%02x, expected 0x00",
                            bytes[0]));
        }
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        SpecificDatumReader<T> reader;
        try {
            reader =
                    readersByWriterId.computeIfAbsent(
                            id,
                            writerId ->
                                    new SpecificDatumReader<>(
                                            registry.schemaById(writerId), readerSchema));
        } catch (SchemaNotFoundException e) {
            throw new SerializationException(
                    "unknown schema id " + id + " in record of topic " + topic, e);
        }
        try {
            BinaryDecoder decoder =
                    DecoderFactory.get().binaryDecoder(bytes, HEADER, bytes.length - HEADER, null);
            T value = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new SerializationException(
                        "corrupt "
                                + type.getSimpleName()
                                + " (schema id "
                                + id
                                + "): trailing bytes after the record");
            }
            return value;
        } catch (IOException | RuntimeException e) {
            if (e instanceof SerializationException se) {
                throw se;
            }
            throw new SerializationException(
                    "corrupt "
                            + type.getSimpleName()
                            + " (schema id "
                            + id
                            + "): "
                            + e.getMessage(),
                    e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return this::serialize;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this::deserialize;
    }
}
