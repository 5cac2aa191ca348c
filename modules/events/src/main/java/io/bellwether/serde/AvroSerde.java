package io.bellwether.serde;

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

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serde for one generated Avro type in the Confluent wire format, with the subject named after the topic
 * ({@code <topic>-value} or {@code <topic>-key}). Writing registers (or, with auto-registration off, looks
 * up) the type's schema once per topic; reading resolves the writer's schema by id, so records written with
 * an older or newer compatible schema decode into the current class.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {
    private final Class<T> type;
    private final Schema readerSchema;
    private final SpecificData model;
    private final SchemaRegistry registry;
    private final String subjectSuffix;
    private final boolean autoRegister;
    private final Map<String, Integer> idByTopic = new ConcurrentHashMap<>();
    private final Map<Integer, SpecificDatumReader<T>> readersByWriterId = new ConcurrentHashMap<>();
    private final SpecificDatumWriter<T> writer;

    private static final byte[] HEADER_PLACEHOLDER = new byte[WireFormat.HEADER_SIZE];
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** A thread's reusable output buffer, encoder and decoder (Avro's encoders and decoders are made to be reused). */
    private static final class Scratch {
        final Buffer out = new Buffer();
        BinaryEncoder encoder;
        BinaryDecoder decoder;
    }

    /** A growable byte buffer without the monitor ByteArrayOutputStream takes on every write. */
    private static final class Buffer extends java.io.OutputStream {
        private byte[] bytes = new byte[1024];
        private int size;

        void reset() {
            size = 0;
            if (bytes.length > 1 << 20) {
                bytes = new byte[1024]; // one huge state must not pin its buffer on the thread for ever
            }
        }

        @Override
        public void write(int b) {
            ensure(1);
            bytes[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, bytes, size, len);
            size += len;
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }

        byte[] toByteArray() {
            return java.util.Arrays.copyOf(bytes, size);
        }
    }

    public AvroSerde(Class<T> type, SchemaRegistry registry, boolean isKey, boolean autoRegister) {
        this(type, registry, isKey ? "-key" : "-value", autoRegister);
    }

    private AvroSerde(Class<T> type, SchemaRegistry registry, String subjectSuffix, boolean autoRegister) {
        this(type, registry, subjectSuffix, autoRegister, SpecificDatumWriter::new);
    }

    private AvroSerde(Class<T> type, SchemaRegistry registry, String subjectSuffix, boolean autoRegister, WriterFactory<T> writers) {
        this.type = type;
        this.model = SpecificData.getForClass(type);
        this.readerSchema = model.getSchema(type);
        this.registry = registry;
        this.subjectSuffix = subjectSuffix;
        this.autoRegister = autoRegister;
        // Generated classes carry straight-line encoders; the reflective writer costs several times more per record,
        // and every state update of the detection stages is serialised.
        SpecificData encoding = new SpecificData(type.getClassLoader());
        encoding.setCustomCoders(true);
        model.getConversions().forEach(encoding::addLogicalTypeConversion);
        this.writer = writers.writer(readerSchema, encoding);
    }

    /** Makes the writer of a serde's records: its schema, and the model with the generated classes' own encoders. */
    @FunctionalInterface
    public interface WriterFactory<T> {
        SpecificDatumWriter<T> writer(Schema schema, SpecificData model);
    }

    /**
     * This serde with its records written by another writer (same subject, registry and reading). The writer must write
     * exactly the bytes the standard one would: only how it gets to them may differ.
     */
    public AvroSerde<T> writingWith(WriterFactory<T> writers) {
        return new AvroSerde<>(type, registry, subjectSuffix, autoRegister, writers);
    }

    /**
     * A serde for a second record type on a topic: its subject is {@code <topic>-<record full name>}, as Confluent's
     * TopicRecordNameStrategy names it, so it evolves apart from the topic's main value type.
     */
    public static <T extends SpecificRecord> AvroSerde<T> recordOnTopic(Class<T> type, SchemaRegistry registry, boolean autoRegister) {
        return new AvroSerde<>(type, registry, "-" + SpecificData.getForClass(type).getSchema(type).getFullName(), autoRegister);
    }

    /** The subject a record of this type is registered under on {@code topic}. */
    public String subject(String topic) {
        return topic + subjectSuffix;
    }

    /** Registers (or looks up) this type's schema for {@code topic} now, so configuration errors surface at start-up. */
    public int prepare(String topic) {
        return idByTopic.computeIfAbsent(topic, t -> autoRegister
                ? registry.register(subject(t), readerSchema)
                : registry.lookup(subject(t), readerSchema));
    }

    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        int id;
        try {
            id = prepare(topic);
        } catch (SchemaRegistryException e) {
            throw new SerializationException("Cannot write " + type.getSimpleName() + " to topic '" + topic + "': " + e.getMessage(), e);
        }
        try {
            // One buffer and one buffered encoder per thread, reused: a fresh stream per record (and the synchronised
            // byte-at-a-time writes of the direct encoder) was most of what encoding allocated and cost.
            Scratch scratch = SCRATCH.get();
            scratch.out.reset();
            scratch.out.write(HEADER_PLACEHOLDER);
            scratch.encoder = EncoderFactory.get().binaryEncoder(scratch.out, scratch.encoder);
            writer.write(data, scratch.encoder);
            scratch.encoder.flush();
            byte[] bytes = scratch.out.toByteArray();
            WireFormat.writeHeader(bytes, id);
            return bytes;
        } catch (Exception e) {
            // The encoder still holds what it buffered of the failed record; reused, it would flush those bytes into the
            // next record's buffer behind its header (a valid-looking, corrupt record). A fresh encoder for the next one.
            SCRATCH.get().encoder = null;
            throw new SerializationException("Cannot encode " + type.getSimpleName() + " for topic '" + topic + "': " + e.getMessage(), e);
        }
    }

    public T deserialize(String topic, byte[] payload) {
        if (payload == null) {
            return null;
        }
        int id = WireFormat.schemaId(topic, payload);
        SpecificDatumReader<T> reader;
        try {
            reader = readersByWriterId.computeIfAbsent(id, writerId ->
                    new SpecificDatumReader<>(registry.schemaById(writerId), readerSchema, model));
        } catch (SchemaRegistryException e) {
            throw new SerializationException("Cannot read a " + type.getSimpleName() + " on topic '" + topic
                    + "' written with schema id " + id + ": " + e.getMessage(), e);
        }
        try {
            Scratch scratch = SCRATCH.get();
            scratch.decoder = DecoderFactory.get().binaryDecoder(payload, WireFormat.HEADER_SIZE,
                    payload.length - WireFormat.HEADER_SIZE, scratch.decoder);
            return reader.read(null, scratch.decoder);
        } catch (Exception e) {
            throw new SerializationException("Cannot decode a " + type.getSimpleName() + " on topic '" + topic
                    + "' with writer schema id " + id + " from " + registry.url() + ": " + e, e);
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

    public Class<T> type() {
        return type;
    }
}
