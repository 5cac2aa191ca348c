package io.bellwether.serde;

import org.apache.kafka.common.errors.SerializationException;

import java.nio.ByteBuffer;

/**
 * The Confluent wire format: magic byte 0, the schema's global id as a 4-byte big-endian int, then the
 * Avro binary encoding. Any consumer that speaks this format can decode Bellwether's topics.
 */
public final class WireFormat {
    public static final byte MAGIC_BYTE = 0;
    public static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    /** Returns the schema id of a framed payload, or throws a SerializationException naming the topic. */
    public static int schemaId(String topic, byte[] payload) {
        if (payload.length < HEADER_SIZE) {
            throw new SerializationException("Record on topic '" + topic + "' is " + payload.length
                    + " bytes: too short for the Confluent wire format (magic byte + 4-byte schema id)");
        }
        if (payload[0] != MAGIC_BYTE) {
            throw new SerializationException("Record on topic '" + topic + "' starts with byte " + payload[0]
                    + ", not the Confluent wire-format magic byte 0: it was not written by a schema-registry serializer");
        }
        return ByteBuffer.wrap(payload, 1, 4).getInt();
    }

    /** Writes the 5-byte header into the start of {@code target}. */
    public static void writeHeader(byte[] target, int schemaId) {
        target[0] = MAGIC_BYTE;
        target[1] = (byte) (schemaId >>> 24);
        target[2] = (byte) (schemaId >>> 16);
        target[3] = (byte) (schemaId >>> 8);
        target[4] = (byte) schemaId;
    }
}
