package io.bellwether.replay;

import io.bellwether.events.Priority;
import io.bellwether.events.StatusCategory;
import io.bellwether.events.TicketEvent;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What a mapping makes of an export, before anything runs: how many rows it reads and maps, how the statuses,
 * priorities and teams come out, which raw values fell through to a fallback (a status word the status map does not
 * know, a priority it cannot read), and which optional fields and outcomes are missing, with what a backtest does
 * without them. A new user's first run of a new export.
 */
public final class MappingCheck {
    private static final int TOP = 10;

    private MappingCheck() {
    }

    /** The check as text, one finding a line. */
    public static String report(Path export, ExportMapping mapping) {
        List<ExportReader.BadRow> bad = new ArrayList<>();
        History history = HistoryLoader.load(export, mapping, bad::add);
        History.Stats stats = history.stats();
        List<TicketEvent> events = history.events();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%s with mapping %s%n", export.getFileName(), mapping.name()));
        out.append(String.format(Locale.ROOT, "  rows %,d: mapped %,d, skipped by skipWhen %,d, unusable %,d; %,d tickets%n", stats.rows(),
                stats.mapped(), stats.skipped(), stats.bad(), stats.tickets()));
        bad.stream().limit(TOP).forEach(b -> out.append("    unusable ").append(b).append('\n'));
        if (!events.isEmpty()) {
            out.append("  event times ").append(events.get(0).getOccurredAt()).append(" .. ")
                    .append(events.get(events.size() - 1).getOccurredAt()).append(String.format(Locale.ROOT, "; %,d out-of-order times clamped%n",
                            stats.clampedTimes()));
        }

        out.append("  statuses (canonical <- raw):\n");
        Map<StatusCategory, Map<String, Long>> statuses = new TreeMap<>();
        Map<String, Long> unmappedStatuses = new TreeMap<>();
        for (TicketEvent e : events) {
            String raw = e.getStatus() == null ? "(empty)" : e.getStatus();
            statuses.computeIfAbsent(e.getStatusCategory(), k -> new TreeMap<>()).merge(raw, 1L, Long::sum);
            if (e.getStatus() == null || !mapping.statuses().containsKey(e.getStatus().toLowerCase(Locale.ROOT))) {
                unmappedStatuses.merge(raw, 1L, Long::sum);
            }
        }
        statuses.forEach((category, raws) -> out.append(String.format(Locale.ROOT, "    %-20s %,9d  %s%n", category,
                raws.values().stream().mapToLong(Long::longValue).sum(), top(raws))));
        if (!unmappedStatuses.isEmpty()) {
            out.append(String.format(Locale.ROOT, "  FELL THROUGH to statusFallback %s (add them to statusMap): %s%n", mapping.statusFallback(),
                    top(unmappedStatuses)));
        }

        out.append("  priorities (canonical <- raw):\n");
        Map<Priority, Map<String, Long>> priorities = new TreeMap<>();
        for (TicketEvent e : events) {
            priorities.computeIfAbsent(e.getPriorityLevel(), k -> new TreeMap<>()).merge(e.getPriority() == null ? "(empty)" : e.getPriority(),
                    1L, Long::sum);
        }
        priorities.forEach((level, raws) -> out.append(String.format(Locale.ROOT, "    %-20s %,9d  %s%n", level,
                raws.values().stream().mapToLong(Long::longValue).sum(), top(raws))));
        Map<String, Long> unknownPriorities = priorities.getOrDefault(Priority.UNKNOWN, Map.of());
        if (!unknownPriorities.isEmpty() && mapping.fields().containsKey("priority")) {
            out.append("  FELL THROUGH to priority UNKNOWN (add them to priorityMap; UNKNOWN uses the rules' default thresholds): ")
                    .append(top(unknownPriorities)).append('\n');
        }

        out.append(String.format(Locale.ROOT, "  teams: %s%n", distinct(events, TicketEvent::getTeam)));
        out.append(String.format(Locale.ROOT, "  accounts: %s%n", distinct(events, TicketEvent::getAccountId)));
        out.append(String.format(Locale.ROOT, "  assignees: %s%n", distinct(events, TicketEvent::getAssignee)));

        for (Map.Entry<String, String> optional : OPTIONAL.entrySet()) {
            if (!mapping.fields().containsKey(optional.getKey())) {
                out.append("  missing ").append(optional.getKey()).append(": ").append(optional.getValue()).append('\n');
            }
        }
        ExportMapping.Outcomes outcomes = mapping.outcomes();
        if (outcomes.slaBreachColumn() == null) {
            out.append("  missing outcomes.slaBreachColumn: a backtest judges signals by reopens and escalations only\n");
        } else {
            long missed = history.outcomes().values().stream().filter(TicketOutcome::slaMissed).count();
            out.append(String.format(Locale.ROOT, "  outcome %s=%s: %,d of %,d tickets missed their SLA%n", outcomes.slaBreachColumn(),
                    outcomes.slaBreachValue(), missed, history.outcomes().size()));
        }
        if (outcomes.reopenColumn() == null) {
            out.append("  missing outcomes.reopenColumn: reopens are counted from the statuses (a done ticket going back to open)\n");
        }
        if (!outcomes.knowsPingPong()) {
            out.append("  missing outcomes.pingPongColumn / pingPongDerived: PING_PONG is scored like the other kinds, not against a truth\n");
        } else {
            long bounced = history.outcomes().values().stream().filter(o -> Boolean.TRUE.equals(o.pingPonged())).count();
            out.append(String.format(Locale.ROOT, "  outcome ping-pong (%s): %,d tickets%n",
                    outcomes.pingPongColumn() != null ? outcomes.pingPongColumn() + "=" + outcomes.pingPongValue() : "derived from teams", bounced));
        }
        return out.toString();
    }

    /** Optional canonical fields, and what goes without them. */
    private static final Map<String, String> OPTIONAL = new LinkedHashMap<>();

    static {
        OPTIONAL.put("createdAt", "a ticket is opened at its first row's time (its age and the baseline count from there)");
        OPTIONAL.put("accountId", "every ticket is of no account: no account-level signals");
        OPTIONAL.put("priority", "every ticket is UNKNOWN priority: the rules' default thresholds apply");
        OPTIONAL.put("assignee", "nobody is ever assigned: UNASSIGNED raises on every ticket, no person ping-pong or overload");
        OPTIONAL.put("team", "no teams: no team ping-pong, no technician-load stage");
        OPTIONAL.put("category", "no category overrides in the rules and no category surges");
        OPTIONAL.put("sourceEventId", "duplicates are recognised by content only");
    }

    private static String top(Map<String, Long> counts) {
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(TOP, sorted.size()); i++) {
            s.append(i == 0 ? "" : ", ").append('\'').append(sorted.get(i).getKey()).append("' ")
                    .append(String.format(Locale.ROOT, "%,d", sorted.get(i).getValue()));
        }
        if (sorted.size() > TOP) {
            s.append(String.format(Locale.ROOT, ", ... (%,d values)", sorted.size()));
        }
        return s.toString();
    }

    private static String distinct(List<TicketEvent> events, Function<TicketEvent, String> field) {
        Map<String, Long> counts = new TreeMap<>();
        long empty = 0;
        for (TicketEvent e : events) {
            String v = field.apply(e);
            if (v == null) {
                empty++;
            } else {
                counts.merge(v, 1L, Long::sum);
            }
        }
        return String.format(Locale.ROOT, "%,d distinct, empty on %,d of %,d rows%s", counts.size(), empty, events.size(),
                counts.isEmpty() ? "" : "; most frequent " + top(counts));
    }
}
