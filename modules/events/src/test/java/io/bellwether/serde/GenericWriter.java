package io.bellwether.serde;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Writes a record with another (older) schema, as an older producer would. */
final class GenericWriter {
    private GenericWriter() {
    }

    static byte[] write(int schemaId, Schema writer, SpecificRecord source) {
        GenericRecord record = new GenericData.Record(writer);
        for (Schema.Field field : writer.getFields()) {
            record.put(field.name(), toGeneric(source.get(source.getSchema().getField(field.name()).pos())));
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(new byte[WireFormat.HEADER_SIZE]);
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(writer, genericWithLogicalTypes()).write(record, encoder);
            encoder.flush();
            byte[] bytes = out.toByteArray();
            WireFormat.writeHeader(bytes, schemaId);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Object toGeneric(Object value) {
        if (value instanceof Enum<?> e) {
            return new GenericData.EnumSymbol(null, e.name());
        }
        return value;
    }

    private static GenericData genericWithLogicalTypes() {
        GenericData data = new GenericData();
        data.addLogicalTypeConversion(new org.apache.avro.data.TimeConversions.TimestampMillisConversion());
        return data;
    }
}
