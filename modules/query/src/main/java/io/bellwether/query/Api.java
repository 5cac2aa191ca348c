package io.bellwether.query;

import com.fasterxml.jackson.core.type.TypeReference;
import io.bellwether.common.http.HttpError;
import io.bellwether.common.http.Request;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The read-only JSON API over the live state. Every answer carries {@code at}, the moment its clocks and scores
 * were computed for: the instance that takes a request fixes it and passes it to the others, so a question answers
 * the same whichever instance is asked. List answers are merged from every instance's share and sorted
 * deterministically.
 */
final class Api {
    static final TypeReference<List<Views.Account>> ACCOUNTS = new TypeReference<>() { };
    static final TypeReference<List<Views.Ticket>> TICKETS = new TypeReference<>() { };
    static final TypeReference<List<Views.OwnershipGap>> GAPS = new TypeReference<>() { };
    static final TypeReference<List<Views.Technician>> TECHNICIANS = new TypeReference<>() { };
    static final TypeReference<List<Views.Demand>> DEMAND = new TypeReference<>() { };

    static final Comparator<Views.Ticket> BY_BREACH = Comparator.comparing(Views.Ticket::breachAt, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparingLong(Views.Ticket::openedAt).thenComparing(Views.Ticket::ticketKey);
    static final Comparator<Views.Account> BY_RISK = Comparator.comparingDouble(Views.Account::score).reversed()
            .thenComparing(Views.Account::accountId);

    private final LocalViews views;
    private final Cluster cluster;
    private final SignalTimeline timeline;
    private final LongSupplier now;
    private final ZoneId zone;
    private final long closedRetentionMillis;

    Api(LocalViews views, Cluster cluster, SignalTimeline timeline, LongSupplier now, ZoneId zone, long closedRetentionMillis) {
        this.views = views;
        this.cluster = cluster;
        this.timeline = timeline;
        this.now = now;
        this.zone = zone;
        this.closedRetentionMillis = closedRetentionMillis;
    }

    void handle(Request request) throws Exception {
        request.requireMethod("GET", "HEAD");
        limit(request, 1); // a malformed limit is this request's fault, not a peer's: reject it before any fan-out
        String rest = request.path().substring("/api/".length());
        int slash = rest.indexOf('/');
        String collection = slash < 0 ? rest : rest.substring(0, slash);
        String key = slash < 0 ? null : URLDecoder.decode(rest.substring(slash + 1), StandardCharsets.UTF_8);
        STALE.get().clear();
        try {
            Object body = switch (collection) {
                case "accounts" -> key == null ? accounts(request) : account(request, key);
                case "tickets" -> key == null ? tickets(request) : ticket(request, key);
                case "ownership-gaps" -> ownershipGaps(request);
                case "technicians" -> technicians(request);
                case "surges" -> page(request, at(request), views.surges());
                case "demand" -> demand(request);
                case "signals" -> signals(request);
                default -> throw new HttpError(404, "not_found", "No such resource: " + request.path() + " (see /api/openapi.yaml)");
            };
            request.sendJson(200, body);
        } catch (InvalidStateStoreException e) {
            throw new HttpError(503, "state_unavailable", "The state stores are not queryable right now (" + e.getMessage()
                    + "); retry shortly", Map.of("Retry-After", "2"));
        } finally {
            STALE.get().clear();
        }
    }

    private Object accounts(Request request) throws HttpError {
        long at = at(request);
        String level = request.query("level");
        List<Views.Account> all = merged(request, at, "/api/accounts", v -> v.accounts(at), ACCOUNTS);
        all = all.stream().filter(a -> level == null || a.level().equalsIgnoreCase(level)).sorted(BY_RISK).limit(limit(request, 500)).toList();
        return page(request, at, all);
    }

    private Object account(Request request, String accountId) throws HttpError {
        long at = at(request);
        org.apache.kafka.streams.KeyQueryMetadata where = views.accountHost(accountId);
        Cluster.Keyed<Views.Account> found = isLocal(request) ? new Cluster.Keyed<>(views.account(accountId, at), false, null)
                : cluster.keyed(where, () -> views.account(accountId, at), p -> views.accountFromAnyCopy(accountId, p, at),
                "/api/accounts/" + Cluster.encode(accountId), peerQuery(request, at), Views.Account.class, "account");
        Optional<Views.Account> account = found.value();
        if (account.isEmpty()) {
            throw new HttpError(404, "not_found", "No account '" + accountId + "' in Bellwether's state");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("at", at);
        body.put("account", account.get());
        stale(body, found, "account-state", where);
        if (!isLocal(request) && !found.stale()) {
            // Peers filter by account themselves rather than shipping every open ticket they hold.
            String query = "scope=local&at=" + at + "&account=" + Cluster.encode(accountId);
            List<Views.Ticket> tickets = merged(request, at, "/api/tickets", query, v -> v.tickets(accountId, true, at), TICKETS).stream()
                    .filter(t -> accountId.equals(t.accountId()) && t.open()).sorted(BY_BREACH).toList();
            body.put("tickets", tickets);
            body.put("signals", timeline.recent(e -> accountId.equals(e.accountId()), limit(request, 200)));
        }
        return body;
    }

    private Object tickets(Request request) throws HttpError {
        long at = at(request);
        String account = request.query("account");
        boolean openOnly = !"false".equalsIgnoreCase(request.query("open", "true"));
        List<Views.Ticket> all = merged(request, at, "/api/tickets", v -> v.tickets(account, openOnly, at), TICKETS);
        return page(request, at, all.stream().sorted(BY_BREACH).limit(limit(request, 500)).toList());
    }

    private Object ticket(Request request, String ticketKey) throws HttpError {
        long at = at(request);
        org.apache.kafka.streams.KeyQueryMetadata where = views.ticketHost(ticketKey);
        Cluster.Keyed<Views.Ticket> found = isLocal(request) ? new Cluster.Keyed<>(views.ticket(ticketKey, at), false, null)
                : cluster.keyed(where, () -> views.ticket(ticketKey, at), p -> views.ticketFromAnyCopy(ticketKey, p, at),
                "/api/tickets/" + Cluster.encode(ticketKey), peerQuery(request, at), Views.Ticket.class, "ticket");
        Optional<Views.Ticket> ticket = found.value();
        if (ticket.isEmpty()) {
            throw new HttpError(404, "not_found", "No ticket '" + ticketKey + "' in Bellwether's state (closed tickets are kept for a while, then forgotten)");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("at", at);
        body.put("ticket", ticket.get());
        stale(body, found, "ticket-state", where);
        if (!isLocal(request)) {
            body.put("signals", timeline.recent(e -> ticketKey.equals(e.ticketKey()), limit(request, 200)));
        }
        return body;
    }

    private Object ownershipGaps(Request request) throws HttpError {
        long at = at(request);
        List<Views.OwnershipGap> all = merged(request, at, "/api/ownership-gaps", LocalViews::ownershipGaps, GAPS);
        return page(request, at, all.stream().sorted(Comparator.comparingLong(Views.OwnershipGap::since)
                .thenComparing(Views.OwnershipGap::subjectId).thenComparing(Views.OwnershipGap::kind)).toList());
    }

    private Object technicians(Request request) throws HttpError {
        long at = at(request);
        Map<String, Views.Technician> byName = new TreeMap<>();
        for (Views.Technician t : merged(request, at, "/api/technicians", LocalViews::technicians, TECHNICIANS)) {
            byName.merge(t.technician(), t, Views.Technician::plus);
        }
        List<Views.Technician> all = new ArrayList<>(byName.values());
        all.sort(Comparator.comparingInt(Views.Technician::openTickets).reversed().thenComparing(Views.Technician::technician));
        return page(request, at, all);
    }

    private Object demand(Request request) throws HttpError {
        long at = at(request);
        Duration window = window(request.query("window", "7d"));
        long to = request.query("to") != null ? instant(request.query("to"), "to") : at;
        long from = request.query("from") != null ? instant(request.query("from"), "from") : to - window.toMillis();
        if (from >= to) {
            throw new HttpError(400, "bad_window", "'from' must be before 'to'");
        }
        ZoneId zoneId = zone(request.query("zone"));
        String query = "scope=local&at=" + at + "&from=" + from + "&to=" + to + "&zone=" + Cluster.encode(zoneId.getId());
        Views.Demand total = null;
        for (Views.Demand part : merged(request, at, "/api/demand", query, v -> List.of(v.demand(from, to, zoneId, closedRetentionMillis)),
                DEMAND)) {
            total = total == null ? part : total.plus(part);
        }
        return page(request, at, List.of(total));
    }

    private Object signals(Request request) throws HttpError {
        String account = request.query("account");
        String kind = request.query("kind");
        String state = request.query("state");
        String ticket = request.query("ticket");
        Predicate<SignalTimeline.Entry> filter = e -> (account == null || account.equals(e.accountId()))
                && (kind == null || kind.equalsIgnoreCase(e.kind())) && (state == null || state.equalsIgnoreCase(e.state()))
                && (ticket == null || ticket.equals(e.ticketKey()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("caughtUp", timeline.caughtUp());
        body.put("items", timeline.recent(filter, limit(request, 200)));
        return body;
    }

    /** Marks an answer read from this instance's standby copy: stale, since when the active instance is silent, how far behind. */
    private void stale(Map<String, Object> body, Cluster.Keyed<?> found, String store, org.apache.kafka.streams.KeyQueryMetadata where) {
        if (found.stale()) {
            body.put("stale", true);
            body.put("staleReason", "instance " + found.activeHost() + " holding this key did not answer; read from this instance's standby copy");
            body.put("lagRecords", views.lag(store, where.partition()));
        }
    }

    private <T> List<T> merged(Request request, long at, String path, java.util.function.Function<LocalViews, List<T>> local,
                               TypeReference<List<T>> type) throws HttpError {
        return merged(request, at, path, peerQuery(request, at), local, type);
    }

    private <T> List<T> merged(Request request, long at, String path, String query, java.util.function.Function<LocalViews, List<T>> local,
                               TypeReference<List<T>> type) throws HttpError {
        if (isLocal(request)) {
            return local.apply(views);
        }
        Cluster.Gathered<T> gathered = cluster.gather(local, views, path, query, type);
        if (!gathered.fromStandby().isEmpty()) {
            STALE.get().addAll(gathered.fromStandby());
        }
        List<T> all = new ArrayList<>();
        gathered.parts().forEach(all::addAll);
        return all;
    }

    /** The silent instances a request's lists were answered for from standby copies (request-scoped; one worker per request). */
    private static final ThreadLocal<java.util.Set<String>> STALE = ThreadLocal.withInitial(java.util.TreeSet::new);

    private Map<String, Object> page(Request request, long at, List<?> items) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("at", at);
        if (!isLocal(request)) {
            body.put("instances", cluster.size());
            java.util.Set<String> stale = STALE.get();
            if (!stale.isEmpty()) {
                body.put("stale", true);
                body.put("staleReason", "instance(s) " + String.join(", ", stale) + " did not answer; their share was read from this instance's"
                        + " standby copies");
            }
        }
        body.put("count", items.size());
        body.put("items", items);
        return body;
    }

    private static boolean isLocal(Request request) {
        return "local".equals(request.query("scope"));
    }

    /** The query as the other instances must see it: local scope and this request's moment first (first value wins). */
    private static String peerQuery(Request request, long at) {
        String raw = request.rawQuery();
        return "scope=local&at=" + at + (raw == null || raw.isEmpty() ? "" : "&" + raw);
    }

    private long at(Request request) throws HttpError {
        String at = request.query("at");
        return at == null ? now.getAsLong() : instant(at, "at");
    }

    static long instant(String text, String name) throws HttpError {
        try {
            return text.chars().allMatch(Character::isDigit) ? Long.parseLong(text) : Instant.parse(text).toEpochMilli();
        } catch (RuntimeException e) {
            throw new HttpError(400, "bad_parameter", "'" + name + "' must be epoch milliseconds or an ISO-8601 instant such as 2026-11-23T09:00:00Z, not '"
                    + text + "'");
        }
    }

    private ZoneId zone(String text) throws HttpError {
        if (text == null) {
            return zone;
        }
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            throw new HttpError(400, "bad_parameter", "'zone' must be an IANA time zone such as Europe/London, not '" + text + "'");
        }
    }

    static Duration window(String text) throws HttpError {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,4})([hd])").matcher(text);
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new HttpError(400, "bad_parameter", "'window' must be hours or days such as 24h or 7d, not '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        return m.group(2).equals("h") ? Duration.ofHours(n) : Duration.ofDays(n);
    }

    private static int limit(Request request, int fallback) throws HttpError {
        String text = request.query("limit");
        if (text == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(text);
            if (n < 1 || n > 10_000) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new HttpError(400, "bad_parameter", "'limit' must be a whole number from 1 to 10000, not '" + text + "'");
        }
    }

}
