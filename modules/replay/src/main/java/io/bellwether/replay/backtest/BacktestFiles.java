package io.bellwether.replay.backtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.bellwether.events.RiskSignal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What a backtest leaves on disk: backtest.json and backtest.html, and the signals one JSON object a line. */
public final class BacktestFiles {
    private BacktestFiles() {
    }

    /** backtest.json (the whole report) and backtest.html (its plots) in {@code outDir}. */
    public static void writeReport(BacktestReport report, Path outDir) throws IOException {
        Files.createDirectories(outDir);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Files.writeString(outDir.resolve("backtest.json"), json.writeValueAsString(report), StandardCharsets.UTF_8);
        Files.writeString(outDir.resolve("backtest.html"), HtmlReport.render(report), StandardCharsets.UTF_8);
    }

    /** recurring-issues.json: the history's top recurring issues, across accounts and for its busiest accounts. */
    public static void writeRecurringIssues(List<io.bellwether.replay.recurring.RecurringIssues> issues, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(issues), StandardCharsets.UTF_8);
    }

    /**
     * Every transition of the first rules file, one JSON object a line in publication order (dedup key, kind, state,
     * severity, subject, account, event time, reason), so a backtest can be scored by other means than this one.
     */
    public static void writeSignals(List<RiskSignal> signals, Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        try (var writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (RiskSignal s : signals) {
                Map<String, Object> line = new java.util.LinkedHashMap<>();
                line.put("dedupKey", s.getDedupKey());
                line.put("kind", s.getKind().name());
                line.put("state", s.getState().name());
                line.put("severity", s.getSeverity().name());
                line.put("subjectType", s.getSubject().getType().name());
                line.put("subject", s.getSubject().getId());
                line.put("accountId", s.getAccountId());
                line.put("occurredAt", s.getOccurredAt().toString());
                line.put("reason", s.getReason());
                writer.write(json.writeValueAsString(line));
                writer.newLine();
            }
        }
    }
}
