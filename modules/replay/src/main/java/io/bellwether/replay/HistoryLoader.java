package io.bellwether.replay;

import io.bellwether.events.FieldChange;
import io.bellwether.events.Priority;
import io.bellwether.events.StatusCategory;
import io.bellwether.events.TicketEvent;
import io.bellwether.events.TicketEventType;
import io.bellwether.events.TicketKeys;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Loads an export into an event-time-ordered history. Rows are grouped by ticket and put in the ticket's own
 * order (the mapping's order columns, e.g. ServiceNow's sys_mod_count); a row whose time goes backwards within
 * its ticket is clamped to the previous row's time, because an update cannot precede the one it followed. Event
 * types and field changes are derived by comparing each snapshot with the ticket's previous one.
 */
public final class HistoryLoader {
    private HistoryLoader() {
    }

    public static History load(Path file, ExportMapping mapping, Consumer<ExportReader.BadRow> onBadRow) {
        RowMapper mapper = new RowMapper(mapping);
        Map<String, List<RowMapper.Snapshot>> byTicket = new LinkedHashMap<>();
        List<ExportReader.BadRow> bad = new ArrayList<>();
        long[] counts = new long[4]; // rows, mapped, skipped, unknown statuses
        Consumer<ExportReader.BadRow> badSink = row -> {
            bad.add(row);
            onBadRow.accept(row);
        };
        ExportReader.read(file, mapping, row -> {
            counts[0]++;
            try {
                RowMapper.Snapshot snapshot = mapper.map(row);
                if (snapshot == null) {
                    counts[2]++;
                    return;
                }
                if (snapshot.status() != null && !mapping.statuses().containsKey(snapshot.status().toLowerCase(java.util.Locale.ROOT))) {
                    counts[3]++;
                }
                byTicket.computeIfAbsent(snapshot.ticketId(), id -> new ArrayList<>()).add(snapshot);
                counts[1]++;
            } catch (IllegalArgumentException e) {
                badSink.accept(new ExportReader.BadRow(file, row.line(), e.getMessage()));
            }
        }, badSink);

        List<Sequenced> all = new ArrayList<>((int) counts[1]);
        Map<String, TicketOutcome> outcomes = new LinkedHashMap<>();
        long clamped = 0;
        int ticketIndex = 0;
        for (Map.Entry<String, List<RowMapper.Snapshot>> entry : byTicket.entrySet()) {
            List<RowMapper.Snapshot> rows = entry.getValue();
            rows.sort(order(mapping));
            RowMapper.Snapshot previous = null;
            Instant lastTime = null;
            for (int seq = 0; seq < rows.size(); seq++) {
                RowMapper.Snapshot row = rows.get(seq);
                Instant at = row.occurredAt();
                if (lastTime != null && at.isBefore(lastTime)) {
                    at = lastTime;
                    clamped++;
                }
                lastTime = at;
                all.add(new Sequenced(at, ticketIndex, seq, toEvent(mapping, row, previous, at, seq)));
                previous = row;
            }
            outcomes.put(TicketKeys.ticketKey(mapping.source(), entry.getKey()), outcome(mapping, rows, all.subList(all.size() - rows.size(), all.size())));
            ticketIndex++;
        }
        all.sort(Comparator.comparing(Sequenced::at).thenComparingInt(Sequenced::ticket).thenComparingInt(Sequenced::seq));
        List<TicketEvent> events = new ArrayList<>(all.size());
        all.forEach(s -> events.add(s.event()));
        return new History(events, bad, new History.Stats(counts[0], counts[1], counts[2], bad.size(), byTicket.size(), clamped, counts[3]),
                outcomes);
    }

    private record Sequenced(Instant at, int ticket, int seq, TicketEvent event) {
    }

    private static Comparator<RowMapper.Snapshot> order(ExportMapping mapping) {
        Comparator<RowMapper.Snapshot> byOrder = (a, b) -> 0;
        for (String column : mapping.order()) {
            byOrder = byOrder.thenComparing(s -> s.raw().get(column), HistoryLoader::compareValues);
        }
        if (mapping.order().isEmpty()) {
            byOrder = Comparator.comparing(RowMapper.Snapshot::occurredAt);
        }
        return byOrder.thenComparingLong(RowMapper.Snapshot::line);
    }

    /** Numbers compare as numbers, anything else as text; missing values last. */
    private static int compareValues(String a, String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : 1) : -1;
        }
        try {
            return Double.compare(Double.parseDouble(a), Double.parseDouble(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }

    private static TicketEvent toEvent(ExportMapping mapping, RowMapper.Snapshot row, RowMapper.Snapshot previous, Instant at, int seq) {
        List<FieldChange> changes = new ArrayList<>();
        TicketEventType type;
        if (previous == null) {
            type = TicketEventType.CREATED;
        } else {
            change(changes, "status", previous.status(), row.status());
            change(changes, "priority", previous.priority(), row.priority());
            change(changes, "assignee", previous.assignee(), row.assignee());
            change(changes, "team", previous.team(), row.team());
            change(changes, "category", previous.category(), row.category());
            change(changes, "configurationItem", previous.configurationItem(), row.configurationItem());
            type = derivedType(previous, row);
        }
        if (row.eventType() != null) {
            try {
                type = TicketEventType.valueOf(row.eventType().trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException keepDerived) {
                // An unknown vendor event name: the derived type is the better guess.
            }
        }
        String sourceEventId = row.sourceEventId() != null && !row.sourceEventId().isBlank()
                ? row.sourceEventId() : row.ticketId() + "/" + seq + "@" + at.toEpochMilli();
        Instant created = row.createdAt();
        return TicketEvent.newBuilder()
                .setEventId(TicketKeys.eventId(mapping.source(), sourceEventId))
                .setSourceSystem(TicketKeys.normaliseSource(mapping.source()))
                .setSourceEventId(sourceEventId)
                .setTicketId(row.ticketId())
                .setAccountId(row.accountId())
                .setAccountName(row.accountName())
                .setEventType(type)
                .setStatus(row.status())
                .setStatusCategory(row.statusCategory())
                .setPriority(row.priority())
                .setPriorityLevel(row.priorityLevel())
                .setAssignee(row.assignee())
                .setTeam(row.team())
                .setCategory(row.category())
                .setConfigurationItem(row.configurationItem())
                .setVendor(row.vendor())
                .setEscalated(row.escalated())
                .setActor(row.actor())
                .setActorType(row.actorType())
                .setOccurredAt(at)
                .setReceivedAt(at)
                .setCreatedAt(created != null && created.isAfter(at) ? at : created)
                .setChanges(changes)
                .setAttributes(row.attributes())
                .build();
    }

    private static TicketEventType derivedType(RowMapper.Snapshot previous, RowMapper.Snapshot row) {
        boolean wasDone = isDone(previous.statusCategory());
        boolean done = isDone(row.statusCategory());
        if (wasDone && !done) {
            return TicketEventType.REOPENED;
        }
        if (previous.statusCategory() != row.statusCategory()) {
            return switch (row.statusCategory()) {
                case RESOLVED -> TicketEventType.RESOLVED;
                case CLOSED, CANCELLED -> TicketEventType.CLOSED;
                default -> TicketEventType.STATUS_CHANGED;
            };
        }
        if (!Objects.equals(previous.assignee(), row.assignee()) || !Objects.equals(previous.team(), row.team())) {
            return TicketEventType.ASSIGNED;
        }
        if (previous.priorityLevel() != row.priorityLevel()) {
            return TicketEventType.PRIORITY_CHANGED;
        }
        if (!previous.escalated() && row.escalated()) {
            return TicketEventType.ESCALATED;
        }
        return TicketEventType.UPDATED;
    }

    private static boolean isDone(StatusCategory c) {
        return c == StatusCategory.RESOLVED || c == StatusCategory.CLOSED || c == StatusCategory.CANCELLED;
    }

    private static void change(List<FieldChange> changes, String field, String from, String to) {
        if (!Objects.equals(from, to)) {
            changes.add(FieldChange.newBuilder().setField(field).setFrom(from).setTo(to).build());
        }
    }

    /** The export's word on ping-pong: its truth column's final value, or a return to an earlier team; null if it has none. */
    private static Boolean pingPonged(ExportMapping.Outcomes spec, List<RowMapper.Snapshot> rows, List<Sequenced> events) {
        if (spec.pingPongColumn() != null) {
            String value = rows.get(rows.size() - 1).raw().get(spec.pingPongColumn());
            return value != null && value.trim().equalsIgnoreCase(spec.pingPongValue());
        }
        if (spec.pingPongDerived() == null) {
            return null;
        }
        List<String> teams = new ArrayList<>();
        for (Sequenced s : events) {
            String team = s.event().getTeam();
            if (team != null && (teams.isEmpty() || !teams.get(teams.size() - 1).equals(team))) {
                if (teams.contains(team)) {
                    return true;
                }
                teams.add(team);
            }
        }
        return false;
    }

    private static TicketOutcome outcome(ExportMapping mapping, List<RowMapper.Snapshot> rows, List<Sequenced> events) {
        ExportMapping.Outcomes spec = mapping.outcomes();
        RowMapper.Snapshot last = rows.get(rows.size() - 1);
        boolean slaMissed = false;
        Instant missedSeen = null;
        if (spec.slaBreachColumn() != null) {
            String finalValue = last.raw().get(spec.slaBreachColumn());
            slaMissed = finalValue != null && finalValue.trim().equalsIgnoreCase(spec.slaBreachValue());
            if (slaMissed) {
                // The row where the column turned to "missed" dates the miss; one that says so from the first row on
                // dates nothing (the ticket's resolution then stands for the moment it went bad).
                for (int i = 0; i < rows.size(); i++) {
                    String v = rows.get(i).raw().get(spec.slaBreachColumn());
                    if (v != null && v.trim().equalsIgnoreCase(spec.slaBreachValue())) {
                        missedSeen = i == 0 ? null : events.get(i).at();
                        break;
                    }
                }
            }
        }
        int reopens = 0;
        Instant escalatedAt = null;
        Instant resolvedAt = null;
        for (int i = 0; i < rows.size(); i++) {
            TicketEvent e = events.get(i).event();
            if (resolvedAt == null && (e.getStatusCategory() == StatusCategory.RESOLVED || e.getStatusCategory() == StatusCategory.CLOSED
                    || e.getStatusCategory() == StatusCategory.CANCELLED)) {
                resolvedAt = events.get(i).at();
            }
            if (e.getEventType() == TicketEventType.REOPENED) {
                reopens++;
            }
            boolean raisedToTop = i > 0 && rows.get(i).priorityLevel() == Priority.P1 && rows.get(i - 1).priorityLevel() != Priority.P1;
            boolean escalationStatus = rows.get(i).escalated() && (i == 0 || !rows.get(i - 1).escalated());
            if (escalatedAt == null && (raisedToTop || escalationStatus)) {
                escalatedAt = events.get(i).at();
            }
        }
        if (spec.reopenColumn() != null) {
            try {
                reopens = Math.max(reopens, Integer.parseInt(last.raw().getOrDefault(spec.reopenColumn(), "0").trim()));
            } catch (NumberFormatException ignored) {
                // The derived count stands.
            }
        }
        RowMapper.Snapshot first = rows.get(0);
        Instant opened = first.createdAt() != null ? first.createdAt() : events.get(0).at();
        return new TicketOutcome(TicketKeys.ticketKey(mapping.source(), first.ticketId()), first.accountId(), opened,
                events.get(events.size() - 1).at(), slaMissed, missedSeen, reopens, escalatedAt, resolvedAt, pingPonged(spec, rows, events));
    }
}
