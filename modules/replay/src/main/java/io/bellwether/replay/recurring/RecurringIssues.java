package io.bellwether.replay.recurring;

import io.bellwether.events.RecurringTrend;
import io.bellwether.events.TicketEvent;
import io.bellwether.events.TicketKeys;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The top recurring issues of a history: per dimension (category, configuration item, location, department,
 * application), the values that generated the most tickets over the window, with how many accounts they came from and
 * their trend (the window's second half against its first). A ticket counts once, under the values its latest event
 * gives (a ticket re-categorised after triage counts where it ended up), in the window it was opened in. Across accounts
 * ({@code scope = all}) and per account.
 *
 * @param scope   {@code all}, or an account id
 * @param from    the window's start (ISO instant)
 * @param to      its end (ISO instant)
 * @param tickets tickets opened in the window, in this scope
 * @param items   per dimension in the order asked for, its top values, most tickets first (ties by value)
 */
public record RecurringIssues(String scope, String from, String to, long tickets, List<Item> items) {
    /** Dimensions a ticket event carries as fields; the others are attributes of the same name (from the mapping). */
    public static final List<String> DEFAULT_DIMENSIONS = List.of("category", "configurationItem", "location", "department", "application");

    /**
     * @param trend the second half of the window against the first ({@link RecurringTrend})
     */
    public record Item(String dimension, String value, long tickets, long accounts, long firstHalf, long secondHalf, String trend) {
    }

    private record Ticket(String accountId, long openedAt, Map<String, String> values) {
    }

    /** Across accounts, then for each of the {@code accounts} accounts with the most tickets, the {@code top} values per dimension. */
    public static List<RecurringIssues> of(List<TicketEvent> events, List<String> dimensions, int top, int accounts) {
        if (events.isEmpty()) {
            return List.of();
        }
        Map<String, Ticket> tickets = tickets(events, dimensions);
        // The whole history: from the earliest opening (a ticket may have been opened before the export's first row).
        long from = Math.min(events.get(0).getOccurredAt().toEpochMilli(),
                tickets.values().stream().mapToLong(Ticket::openedAt).min().orElse(Long.MAX_VALUE));
        long to = events.get(events.size() - 1).getOccurredAt().toEpochMilli();
        List<RecurringIssues> out = new ArrayList<>();
        out.add(rank("all", tickets.values(), dimensions, top, from, to));
        Map<String, List<Ticket>> byAccount = new TreeMap<>();
        tickets.values().stream().filter(t -> t.accountId() != null).forEach(t -> byAccount.computeIfAbsent(t.accountId(), k -> new ArrayList<>()).add(t));
        byAccount.entrySet().stream()
                .sorted(Comparator.<Map.Entry<String, List<Ticket>>>comparingInt(e -> e.getValue().size()).reversed().thenComparing(Map.Entry::getKey))
                .limit(accounts)
                .forEach(e -> out.add(rank(e.getKey(), e.getValue(), dimensions, top, from, to)));
        return out;
    }

    private static Map<String, Ticket> tickets(List<TicketEvent> events, List<String> dimensions) {
        Map<String, Long> opened = new HashMap<>();
        Map<String, TicketEvent> latest = new LinkedHashMap<>();
        for (TicketEvent event : events) {
            String key = TicketKeys.ticketKey(event);
            long at = event.getCreatedAt() != null ? event.getCreatedAt().toEpochMilli() : event.getOccurredAt().toEpochMilli();
            opened.merge(key, at, Math::min);
            latest.put(key, event);
        }
        Map<String, Ticket> out = new LinkedHashMap<>();
        latest.forEach((key, event) -> {
            Map<String, String> values = new HashMap<>();
            for (String dimension : dimensions) {
                String value = value(event, dimension);
                if (value != null && !value.isBlank()) {
                    values.put(dimension, value);
                }
            }
            out.put(key, new Ticket(event.getAccountId(), opened.get(key), values));
        });
        return out;
    }

    private static String value(TicketEvent event, String dimension) {
        return switch (dimension) {
            case "category" -> event.getCategory();
            case "configurationItem" -> event.getConfigurationItem();
            case "vendor" -> event.getVendor();
            case "team" -> event.getTeam();
            default -> event.getAttributes() == null ? null : event.getAttributes().get(dimension);
        };
    }

    private static RecurringIssues rank(String scope, Iterable<Ticket> tickets, List<String> dimensions, int top, long from, long to) {
        long mid = from + (to - from) / 2;
        long count = 0;
        Map<String, Map<String, long[]>> counts = new LinkedHashMap<>();
        Map<String, Map<String, Set<String>>> accounts = new HashMap<>();
        dimensions.forEach(d -> counts.put(d, new HashMap<>()));
        for (Ticket ticket : tickets) {
            if (ticket.openedAt() < from || ticket.openedAt() > to) {
                continue;
            }
            count++;
            for (String dimension : dimensions) {
                String value = ticket.values().get(dimension);
                if (value == null) {
                    continue;
                }
                long[] c = counts.get(dimension).computeIfAbsent(value, v -> new long[3]);
                c[0]++;
                c[ticket.openedAt() < mid ? 1 : 2]++;
                if (ticket.accountId() != null) {
                    accounts.computeIfAbsent(dimension, d -> new HashMap<>()).computeIfAbsent(value, v -> new HashSet<>()).add(ticket.accountId());
                }
            }
        }
        List<Item> items = new ArrayList<>();
        counts.forEach((dimension, values) -> values.entrySet().stream()
                .sorted(Comparator.<Map.Entry<String, long[]>>comparingLong(e -> e.getValue()[0]).reversed().thenComparing(Map.Entry::getKey))
                .limit(top)
                .forEach(e -> items.add(new Item(dimension, e.getKey(), e.getValue()[0],
                        accounts.getOrDefault(dimension, Map.of()).getOrDefault(e.getKey(), Set.of()).size(),
                        e.getValue()[1], e.getValue()[2], RecurringTrend.of(e.getValue()[1], e.getValue()[2])))));
        return new RecurringIssues(scope, Instant.ofEpochMilli(from).toString(), Instant.ofEpochMilli(to).toString(), count, List.copyOf(items));
    }

    /** This scope's items of one dimension, in rank order. */
    public List<Item> of(String dimension) {
        return items.stream().filter(i -> i.dimension().equals(dimension)).toList();
    }
}
