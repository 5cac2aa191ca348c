package io.bellwether.replay.recurring;

import io.bellwether.replay.ExportMapping;
import io.bellwether.replay.History;
import io.bellwether.replay.HistoryLoader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The recurring issues of the shipped ServiceNow history (in {@code ../shared}), as the backtest writes them, against a
 * count made straight from the CSV: per incident its last logged row (highest sys_mod_count, junk state -100 left out),
 * its category and location.
 */
class ServiceNowRecurringIssuesTest {
    private static final Path EXPORT = Path.of("../../../shared/data/servicenow-incident-log/incident_event_log.csv.gz");

    private record Last(int modCount, String category, String location) {
    }

    @Test
    @DisplayName("should list the history's top categories and locations with the counts a direct count of the file gives")
    void shouldMatchADirectCount() throws Exception {
        Assumptions.assumeTrue(Files.isReadable(EXPORT), "SKIPPED: needs ../shared/data/servicenow-incident-log beside the clone (CI has it)");
        History history = HistoryLoader.load(EXPORT, ExportMapping.bundled("servicenow-incident"), bad -> { });
        RecurringIssues all = RecurringIssues.of(history.events(), RecurringIssues.DEFAULT_DIMENSIONS, 10, 10).get(0);

        Map<String, Last> last = new HashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(EXPORT)), StandardCharsets.UTF_8))) {
            List<String> header = List.of(in.readLine().split(","));
            int number = header.indexOf("number");
            int state = header.indexOf("incident_state");
            int mod = header.indexOf("sys_mod_count");
            int category = header.indexOf("category");
            int location = header.indexOf("location");
            for (String line; (line = in.readLine()) != null; ) {
                String[] f = line.split(",", -1);
                if (f[state].equals("-100")) {
                    continue;
                }
                Last row = new Last(Integer.parseInt(f[mod]), known(f[category]), known(f[location]));
                last.merge(f[number], row, (a, b) -> b.modCount() >= a.modCount() ? b : a);
            }
        }
        assertEquals(last.size(), all.tickets(), "every incident counted once");
        assertEquals(top(last, Last::category), counts(all, "category"), "top categories");
        assertEquals(top(last, Last::location), counts(all, "location"), "top locations");
        assertTrue(all.of("category").get(0).accounts() > 1, "the top category comes from many locations: " + all.of("category").get(0));
    }

    private static String known(String value) {
        return value.isEmpty() || value.equals("?") ? null : value;
    }

    private static List<String> top(Map<String, Last> last, java.util.function.Function<Last, String> value) {
        Map<String, Long> counts = new HashMap<>();
        last.values().forEach(l -> {
            if (value.apply(l) != null) {
                counts.merge(value.apply(l), 1L, Long::sum);
            }
        });
        List<String> out = new ArrayList<>();
        counts.entrySet().stream().sorted(Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue).reversed()
                .thenComparing(Map.Entry::getKey)).limit(10).forEach(e -> out.add(e.getKey() + "=" + e.getValue()));
        return out;
    }

    private static List<String> counts(RecurringIssues issues, String dimension) {
        return issues.of(dimension).stream().map(i -> i.value() + "=" + i.tickets()).toList();
    }
}
