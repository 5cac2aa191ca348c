package io.bellwether.events;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract's evolution rules, checked in every build. */
class ContractCompatibilityTest {

    @Test
    @DisplayName("should read data written with the released 0.1.0 schemas (BACKWARD compatible)")
    void shouldStayBackwardCompatibleWithTheReleasedBaseline() throws IOException {
        for (Map.Entry<String, Schema> current : Contract.topLevelSchemas().entrySet()) {
            Schema released = baseline(current.getKey());
            SchemaCompatibility.SchemaPairCompatibility result =
                    SchemaCompatibility.checkReaderWriterCompatibility(current.getValue(), released);
            assertEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE, result.getType(),
                    current.getKey() + " can no longer read 0.1.0 data: " + result.getResult().getIncompatibilities());
        }
    }

    @Test
    @DisplayName("should refuse, by the same check, a change that breaks old data (a new field without a default)")
    void shouldDetectAnIncompatibleChange() throws IOException {
        Schema released = baseline("RiskSignal");
        Schema broken = new Schema.Parser().parse(released.toString().replace("\"fields\":[",
                "\"fields\":[{\"name\":\"tenant\",\"type\":\"string\",\"doc\":\"added without a default\"},"));
        SchemaCompatibility.SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(broken, released);
        assertNotEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE, result.getType());
    }

    @Test
    @DisplayName("should give every record, enum and field of the contract a doc")
    void shouldDocumentEverything() {
        List<String> missing = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Schema schema : Contract.topLevelSchemas().values()) {
            collectMissingDocs(schema, missing, seen);
        }
        assertTrue(missing.isEmpty(), "missing doc: " + missing);
    }

    @Test
    @DisplayName("should give every field added after 0.1.0 a default, so old data still decodes")
    void shouldDefaultEveryFieldAddedAfterTheFirstRelease() throws IOException {
        List<String> undefaulted = new ArrayList<>();
        for (Map.Entry<String, Schema> current : Contract.topLevelSchemas().entrySet()) {
            Set<String> released = new HashSet<>();
            baseline(current.getKey()).getFields().forEach(f -> released.add(f.name()));
            for (Schema.Field field : current.getValue().getFields()) {
                if (!released.contains(field.name()) && !field.hasDefaultValue()) {
                    undefaulted.add(current.getKey() + "." + field.name());
                }
            }
        }
        assertTrue(undefaulted.isEmpty(), "fields added without a default: " + undefaulted);
    }

    private static void collectMissingDocs(Schema schema, List<String> missing, Set<String> seen) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!seen.add(schema.getFullName())) {
                    return;
                }
                if (isBlank(schema.getDoc())) {
                    missing.add(schema.getFullName());
                }
                for (Schema.Field field : schema.getFields()) {
                    if (isBlank(field.doc())) {
                        missing.add(schema.getFullName() + "." + field.name());
                    }
                    collectMissingDocs(field.schema(), missing, seen);
                }
            }
            case ENUM -> {
                if (seen.add(schema.getFullName()) && isBlank(schema.getDoc())) {
                    missing.add(schema.getFullName());
                }
            }
            case UNION -> schema.getTypes().forEach(t -> collectMissingDocs(t, missing, seen));
            case ARRAY -> collectMissingDocs(schema.getElementType(), missing, seen);
            case MAP -> collectMissingDocs(schema.getValueType(), missing, seen);
            default -> {
            }
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    static Schema baseline(String name) throws IOException {
        try (InputStream in = ContractCompatibilityTest.class.getResourceAsStream("/compatibility-baseline/" + name + ".avsc")) {
            return new Schema.Parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
