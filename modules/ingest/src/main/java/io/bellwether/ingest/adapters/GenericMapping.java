package io.bellwether.ingest.adapters;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where the generic endpoint finds each field, from a small YAML file:
 * <pre>
 * source: mytool            # the source system on the events (part of ticket keys)
 * zone: Europe/Berlin       # for times without an offset
 * fields:                   # canonical field: dotted path in the body
 *   ticketId: ticket.id
 *   status: ticket.state.label
 * statusMap: "Waiting=WAITING_ON_CUSTOMER;Done=RESOLVED"
 * priorityMap: "Sev1=P1;Sev2=P2"
 * </pre>
 * Fields not named keep their canonical name as path, so a body in Bellwether's own JSON form needs no mapping.
 */
public record GenericMapping(String source, ZoneId zone, Map<String, String> fields, String statusMap, String priorityMap) {
    public static final Set<String> FIELDS = Set.of("ticketId", "sourceEventId", "accountId", "accountName", "eventType", "status",
            "statusCategory", "priority", "assignee", "team", "category", "configurationItem", "vendor", "escalated", "actor",
            "actorType", "occurredAt", "createdAt", "changes");

    public static GenericMapping canonical(String source) {
        return new GenericMapping(source, ZoneOffset.UTC, Map.of(), "", "");
    }

    public String path(String field) {
        return fields.getOrDefault(field, field);
    }

    /** Reads a mapping file; every problem is reported with the file name and the offending key. */
    @SuppressWarnings("unchecked")
    public static GenericMapping load(Path file, String defaultSource) {
        Object parsed;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the generic webhook mapping " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + " is not valid YAML: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> root)) {
            throw new IllegalArgumentException(file + ": expected a mapping with 'fields'");
        }
        Set<String> known = Set.of("source", "zone", "fields", "statusMap", "priorityMap");
        List<String> unknown = root.keySet().stream().map(String::valueOf).filter(k -> !known.contains(k)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(file + ": unknown key(s) " + unknown + "; expected " + known);
        }
        Map<String, String> fields = new HashMap<>();
        Object f = root.get("fields");
        if (f != null) {
            if (!(f instanceof Map<?, ?> fieldMap)) {
                throw new IllegalArgumentException(file + ": 'fields' must map canonical fields to paths");
            }
            for (Map.Entry<?, ?> entry : fieldMap.entrySet()) {
                String key = String.valueOf(entry.getKey());
                if (!FIELDS.contains(key)) {
                    throw new IllegalArgumentException(file + ": fields." + key + " is not a canonical field; one of "
                            + FIELDS.stream().sorted().collect(Collectors.joining(", ")));
                }
                fields.put(key, String.valueOf(entry.getValue()));
            }
        }
        ZoneId zone;
        try {
            zone = root.get("zone") == null ? ZoneOffset.UTC : ZoneId.of(String.valueOf(root.get("zone")));
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(file + ": zone '" + root.get("zone") + "' is not an IANA zone id");
        }
        String source = root.get("source") == null ? defaultSource : String.valueOf(root.get("source"));
        GenericMapping mapping = new GenericMapping(source, zone, Map.copyOf(fields), str(root.get("statusMap")), str(root.get("priorityMap")));
        Vocabulary.empty().withOverrides(mapping.statusMap, mapping.priorityMap);  // fails early on a bad map
        return mapping;
    }

    private static String str(Object value) {
        return value == null ? "" : String.valueOf(value);
    }
}
