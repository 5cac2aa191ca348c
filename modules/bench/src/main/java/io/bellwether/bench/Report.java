package io.bellwether.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The figures of one benchmark run, with the machine they were taken on, as Markdown and JSON. */
final class Report {
    record Figure(String section, String name, double value, String unit) {
    }

    private final List<Figure> figures = new ArrayList<>();
    private final Map<String, List<String>> notes = new LinkedHashMap<>();
    private final Map<String, Object> machine = new LinkedHashMap<>();

    Report() {
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("maxHeapMb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        machine.put("at", Instant.now().toString());
    }

    synchronized void add(String section, String name, double value, String unit) {
        figures.add(new Figure(section, name, value, unit));
        System.out.printf(Locale.ROOT, "  %-14s %-62s %12s %s%n", section, name, format(value), unit);
    }

    synchronized void note(String section, String text) {
        notes.computeIfAbsent(section, s -> new ArrayList<>()).add(text);
        System.out.println("  " + section + ": " + text);
    }

    void write(Path dir) throws Exception {
        Files.createDirectories(dir);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("machine", machine);
        json.put("notes", notes);
        json.put("figures", figures);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("results.json").toFile(), json);
        StringBuilder md = new StringBuilder("| Section | Figure | Value |\n|---|---|---:|\n");
        for (Figure f : figures) {
            md.append("| ").append(f.section).append(" | ").append(f.name).append(" | ").append(format(f.value)).append(' ').append(f.unit).append(" |\n");
        }
        md.append("\nMachine: ").append(machine.get("cores")).append(" cores, ").append(machine.get("jvm")).append(", heap ")
                .append(machine.get("maxHeapMb")).append(" MB, ").append(machine.get("os")).append(", ").append(machine.get("at")).append(".\n\n");
        notes.forEach((section, lines) -> lines.forEach(line -> md.append("- ").append(section).append(": ").append(line).append('\n')));
        Files.writeString(dir.resolve("results.md"), md.toString());
        System.out.println("\n" + md);
    }

    private static String format(double v) {
        if (Math.abs(v) >= 100 || v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (Math.abs(v) < 0.1) {
            return String.format(Locale.ROOT, "%.4f", v); // small ratios must not print as 0.00
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
