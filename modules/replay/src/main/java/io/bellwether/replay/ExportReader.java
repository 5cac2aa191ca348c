package io.bellwether.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Reads an export row by row, as column name to value: CSV with a header line (RFC 4180 quoting, fields may span
 * lines) or JSON Lines (nested fields as dotted names), plain or gzipped (recognised by its magic bytes, not its
 * name). A row that cannot be read is reported with its line number; the rest of the file is still read.
 */
public final class ExportReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One row and the line it started on. */
    public record Row(long line, Map<String, String> values) {
    }

    /** A row that could not be read or mapped. */
    public record BadRow(Path file, long line, String reason) {
        @Override
        public String toString() {
            return file.getFileName() + ":" + line + ": " + reason;
        }
    }

    private ExportReader() {
    }

    /** Opens the file or fails before anything is read with a message naming it. */
    public static BufferedReader open(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new MappingException("Cannot read the export " + file + ": " + (Files.exists(file) ? "not a readable file" : "no such file"));
        }
        try {
            InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            in.mark(2);
            int b1 = in.read();
            int b2 = in.read();
            in.reset();
            if (b1 == 0x1f && b2 == 0x8b) {
                in = new GZIPInputStream(in, 1 << 16);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
            // Spreadsheet tools write a UTF-8 byte-order mark; left in, it would become part of the first column's name.
            reader.mark(1);
            if (reader.read() != '\uFEFF') {
                reader.reset();
            }
            return reader;
        } catch (IOException e) {
            throw new MappingException("Cannot read the export " + file + ": " + e.getMessage());
        }
    }

    public static void read(Path file, ExportMapping mapping, Consumer<Row> rows, Consumer<BadRow> bad) {
        try (BufferedReader reader = open(file)) {
            if (mapping.format() == ExportMapping.Format.CSV) {
                readCsv(file, reader, mapping, rows, bad);
            } else {
                readJsonLines(file, reader, rows, bad);
            }
        } catch (IOException e) {
            throw new MappingException("Reading the export " + file + " failed: " + e.getMessage());
        }
    }

    private static void readCsv(Path file, BufferedReader reader, ExportMapping mapping, Consumer<Row> rows, Consumer<BadRow> bad)
            throws IOException {
        char delimiter = mapping.delimiter();
        CsvLines lines = new CsvLines(reader, delimiter);
        if (!lines.hasNext()) {
            throw new MappingException("The export " + file + " is empty: a CSV export needs a header line");
        }
        List<String> header = lines.next();
        if (header.size() < 2) {
            throw new MappingException("The export " + file + " has a header of " + header.size() + " column(s); is the delimiter '"
                    + delimiter + "' right?");
        }
        // A column the mapping names but the header lacks would silently empty a field on every row: refuse up front.
        java.util.SortedSet<String> missing = new java.util.TreeSet<>(mapping.columns());
        missing.removeAll(header);
        if (!missing.isEmpty()) {
            throw new MappingException("The mapping " + mapping.name() + " reads column(s) " + missing + " that the export " + file
                    + " does not have; its columns are " + header);
        }
        while (lines.hasNext()) {
            long line = lines.lineNumber() + 1;
            List<String> cells;
            try {
                cells = lines.next();
            } catch (IllegalStateException e) {
                bad.accept(new BadRow(file, line, e.getMessage()));
                continue;
            }
            if (cells.size() == 1 && cells.get(0).isEmpty()) {
                continue;
            }
            if (cells.size() != header.size()) {
                bad.accept(new BadRow(file, line, cells.size() + " columns where the header has " + header.size()));
                continue;
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                values.put(header.get(i), cells.get(i));
            }
            rows.accept(new Row(line, values));
        }
    }

    private static void readJsonLines(Path file, BufferedReader reader, Consumer<Row> rows, Consumer<BadRow> bad) throws IOException {
        String text;
        long line = 0;
        while ((text = reader.readLine()) != null) {
            line++;
            if (text.isBlank()) {
                continue;
            }
            try {
                JsonNode node = JSON.readTree(text);
                if (!node.isObject()) {
                    bad.accept(new BadRow(file, line, "not a JSON object"));
                    continue;
                }
                Map<String, String> values = new LinkedHashMap<>();
                flatten("", node, values);
                rows.accept(new Row(line, values));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                bad.accept(new BadRow(file, line, "malformed JSON: " + e.getOriginalMessage()));
            }
        }
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                flatten(prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(), f.getValue(), out);
            }
        } else if (!node.isNull()) {
            out.put(prefix, node.isValueNode() ? node.asText() : node.toString());
        }
    }

    /** RFC 4180 records, counting physical lines. */
    private static final class CsvLines {
        private final BufferedReader reader;
        private final char delimiter;
        private long lineNumber;
        private String pending;

        CsvLines(BufferedReader reader, char delimiter) throws IOException {
            this.reader = reader;
            this.delimiter = delimiter;
            this.pending = reader.readLine();
        }

        boolean hasNext() {
            return pending != null;
        }

        long lineNumber() {
            return lineNumber;
        }

        List<String> next() throws IOException {
            List<String> cells = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            boolean quoted = false;
            String line = pending;
            lineNumber++;
            int i = 0;
            while (true) {
                if (i >= line.length()) {
                    if (quoted) {
                        String more = reader.readLine();
                        if (more == null) {
                            pending = null;
                            throw new IllegalStateException("unterminated quoted field");
                        }
                        lineNumber++;
                        cell.append('\n');
                        line = more;
                        i = 0;
                        continue;
                    }
                    break;
                }
                char c = line.charAt(i++);
                if (quoted) {
                    if (c == '"') {
                        if (i < line.length() && line.charAt(i) == '"') {
                            cell.append('"');
                            i++;
                        } else {
                            quoted = false;
                        }
                    } else {
                        cell.append(c);
                    }
                } else if (c == '"' && cell.length() == 0) {
                    quoted = true;
                } else if (c == delimiter) {
                    cells.add(cell.toString());
                    cell.setLength(0);
                } else {
                    cell.append(c);
                }
            }
            cells.add(cell.toString());
            pending = reader.readLine();
            return cells;
        }
    }
}
