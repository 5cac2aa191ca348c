package io.bellwether.serde;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A registry held in memory, with the same id and BACKWARD-compatibility behaviour as a real one.
 * For TopologyTestDriver tests and offline tools only; the service always talks to a real registry.
 */
public final class InMemorySchemaRegistry implements SchemaRegistry {
    private final Map<Integer, Schema> byId = new HashMap<>();
    private final Map<String, Integer> idByText = new HashMap<>();
    private final Map<String, List<Integer>> versionsBySubject = new HashMap<>();
    private final Map<String, String> compatibility = new HashMap<>();
    private String globalCompatibility = "BACKWARD";

    @Override
    public synchronized int register(String subject, Schema schema) {
        List<Integer> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        Integer id = idByText.get(schema.toString());
        if (id != null && versions.contains(id)) {
            return id;
        }
        CompatibilityResult check = checkCompatibility(subject, schema);
        if (!check.compatible()) {
            throw new IncompatibleSchemaException("In-memory registry refused schema for subject '" + subject + "': "
                    + String.join("; ", check.messages()), 409, 409);
        }
        if (id == null) {
            id = byId.size() + 1;
            byId.put(id, schema);
            idByText.put(schema.toString(), id);
        }
        versions.add(id);
        return id;
    }

    @Override
    public synchronized int lookup(String subject, Schema schema) {
        Integer id = idByText.get(schema.toString());
        if (id == null || !versionsBySubject.getOrDefault(subject, List.of()).contains(id)) {
            throw new SchemaRegistryException("Schema not registered under subject '" + subject + "' in " + url(), 404, 40403, null);
        }
        return id;
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Schema schema = byId.get(id);
        if (schema == null) {
            throw new SchemaRegistryException("Schema id " + id + " is not known to " + url(), 404, 40403, null);
        }
        return schema;
    }

    @Override
    public synchronized CompatibilityResult checkCompatibility(String subject, Schema schema) {
        List<Integer> versions = versionsBySubject.getOrDefault(subject, List.of());
        String level = compatibility.getOrDefault(subject, globalCompatibility);
        if (versions.isEmpty() || "NONE".equals(level)) {
            return new CompatibilityResult(true, List.of());
        }
        Schema latest = byId.get(versions.get(versions.size() - 1));
        List<String> problems = new ArrayList<>();
        if (level.startsWith("BACKWARD") || level.startsWith("FULL")) {
            collect(SchemaCompatibility.checkReaderWriterCompatibility(schema, latest), "BACKWARD", problems);
        }
        if (level.startsWith("FORWARD") || level.startsWith("FULL")) {
            collect(SchemaCompatibility.checkReaderWriterCompatibility(latest, schema), "FORWARD", problems);
        }
        return new CompatibilityResult(problems.isEmpty(), problems);
    }

    private static void collect(SchemaCompatibility.SchemaPairCompatibility result, String direction, List<String> problems) {
        if (result.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            result.getResult().getIncompatibilities().forEach(i ->
                    problems.add(direction + ": " + i.getType() + " at " + i.getLocation() + " " + i.getMessage()));
        }
    }

    @Override
    public synchronized void setCompatibility(String subject, String level) {
        if (subject == null) {
            globalCompatibility = level;
        } else {
            compatibility.put(subject, level);
        }
    }

    @Override
    public String url() {
        return "in-memory registry";
    }
}
