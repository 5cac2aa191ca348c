package io.bellwether.query;

import com.fasterxml.jackson.core.type.TypeReference;
import io.bellwether.common.web.HttpError;
import io.bellwether.common.web.Web;
import io.javalin.http.Context;
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
    static final TypeReference<List<Views.Team>> TEAMS = new TypeReference<>() { };
    static final TypeReference<List<Views.Demand>> DEMAND = new TypeReference<>() { };
    static final TypeReference<List<Views.Recurring>> RECURRING = new TypeReference<>() { };

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

    /** {@code GET /api/{collection}} or {@code /api/{collection}/{key}}. */
    void handle(Context ctx, String collection, String key) throws Exception {
        limit(ctx, 1); // a malformed limit is this request's fault, not a peer's: reject it before any fan-out
        if (key != null && !collection.equals("accounts") && !collection.equals("tickets")) {
            throw new HttpError(404, "not_found", "No such resource: " + ctx.path() + " (see /api/openapi.yaml)");
        }
        STALE.get().clear();
        try {
            Object body = switch (collection) {
                case "accounts" -> key == null ? accounts(ctx) : account(ctx, key);
                case "tickets" -> key == null ? tickets(ctx) : ticket(ctx, key);
                case "ownership-gaps" -> ownershipGaps(ctx);
                case "technicians" -> technicians(ctx);
                case "teams" -> teams(ctx);
                case "surges" -> page(ctx, at(ctx), views.surges());
                case "demand" -> demand(ctx);
                case "recurring-issues" -> recurring(ctx);
                case "signals" -> signals(ctx);
                default -> throw new HttpError(404, "not_found", "No such resource: " + ctx.path() + " (see /api/openapi.yaml)");
            };
            Web.json(ctx, 200, body);
        } catch (InvalidStateStoreException e) {
            throw new HttpError(503, "state_unavailable", "The state stores are not queryable right now (" + e.getMessage()
                    + "); retry shortly", Map.of("Retry-After", "2"));
        } finally {
            STALE.get().clear();
        }
    }

    private Object accounts(Context ctx) throws HttpError {
        long at = at(ctx);
        String level = ctx.queryParam("level");
        List<Views.Account> all = merged(ctx, at, "/api/accounts", v -> v.accounts(at), ACCOUNTS);
        all = all.stream().filter(a -> level == null || a.level().equalsIgnoreCase(level)).sorted(BY_RISK).limit(limit(ctx, 500)).toList();
        return page(ctx, at, all);
    }

    private Object account(Context ctx, String accountId) throws HttpError {
        long at = at(ctx);
        org.apache.kafka.streams.KeyQueryMetadata where = views.accountHost(accountId);
        Cluster.Keyed<Views.Account> found = isLocal(ctx) ? new Cluster.Keyed<>(views.account(accountId, at), false, null)
                : cluster.keyed(where, () -> views.account(accountId, at), p -> views.accountFromAnyCopy(accountId, p, at),
                "/api/accounts/" + Cluster.encode(accountId), peerQuery(ctx, at), Views.Account.class, "account");
        Optional<Views.Account> account = found.value();
        if (account.isEmpty()) {
            throw new HttpError(404, "not_found", "No account '" + accountId + "' in Bellwether's state");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("at", at);
        body.put("account", account.get());
        stale(body, found, "account-state", where);
        if (!isLocal(ctx) && !found.stale()) {
            // Peers filter by account themselves rather than shipping every open ticket they hold.
            String query = "scope=local&at=" + at + "&account=" + Cluster.encode(accountId);
            List<Views.Ticket> tickets = merged(ctx, at, "/api/tickets", query, v -> v.tickets(accountId, true, at), TICKETS).stream()
                    .filter(t -> accountId.equals(t.accountId()) && t.open()).sorted(BY_BREACH).toList();
            body.put("tickets", tickets);
            body.put("signals", timeline.recent(e -> accountId.equals(e.accountId()), limit(ctx, 200)));
        }
        return body;
    }

    private Object tickets(Context ctx) throws HttpError {
        long at = at(ctx);
        String account = ctx.queryParam("account");
        boolean openOnly = !"false".equalsIgnoreCase(Web.query(ctx, "open", "true"));
        List<Views.Ticket> all = merged(ctx, at, "/api/tickets", v -> v.tickets(account, openOnly, at), TICKETS);
        return page(ctx, at, all.stream().sorted(BY_BREACH).limit(limit(ctx, 500)).toList());
    }

    private Object ticket(Context ctx, String ticketKey) throws HttpError {
        long at = at(ctx);
        org.apache.kafka.streams.KeyQueryMetadata where = views.ticketHost(ticketKey);
        Cluster.Keyed<Views.Ticket> found = isLocal(ctx) ? new Cluster.Keyed<>(views.ticket(ticketKey, at), false, null)
                : cluster.keyed(where, () -> views.ticket(ticketKey, at), p -> views.ticketFromAnyCopy(ticketKey, p, at),
                "/api/tickets/" + Cluster.encode(ticketKey), peerQuery(ctx, at), Views.Ticket.class, "ticket");
        Optional<Views.Ticket> ticket = found.value();
        if (ticket.isEmpty()) {
            throw new HttpError(404, "not_found", "No ticket '" + ticketKey + "' in Bellwether's state (closed tickets are kept for a while, then forgotten)");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("at", at);
        body.put("ticket", ticket.get());
        stale(body, found, "ticket-state", where);
        if (!isLocal(ctx)) {
            body.put("signals", timeline.recent(e -> ticketKey.equals(e.ticketKey()), limit(ctx, 200)));
        }
        return body;
    }

    private Object ownershipGaps(Context ctx) throws HttpError {
        long at = at(ctx);
        List<Views.OwnershipGap> all = merged(ctx, at, "/api/ownership-gaps", LocalViews::ownershipGaps, GAPS);
        return page(ctx, at, all.stream().sorted(Comparator.comparingLong(Views.OwnershipGap::since)
                .thenComparing(Views.OwnershipGap::subjectId).thenComparing(Views.OwnershipGap::kind)).toList());
    }

    private Object technicians(Context ctx) throws HttpError {
        long at = at(ctx);
        Map<String, Views.Technician> byName = new TreeMap<>();
        for (Views.Technician t : merged(ctx, at, "/api/technicians", LocalViews::technicians, TECHNICIANS)) {
            byName.merge(t.technician(), t, Views.Technician::plus);
        }
        List<Views.Technician> all = new ArrayList<>(byName.values());
        all.sort(Comparator.comparingInt(Views.Technician::openTickets).reversed().thenComparing(Views.Technician::technician));
        return page(ctx, at, all);
    }

    /** Each team lives in one partition: the instances' answers are disjoint. Highest near-miss rate first. */
    private Object teams(Context ctx) throws HttpError {
        long at = at(ctx);
        List<Views.Team> all = new ArrayList<>(merged(ctx, at, "/api/teams", v -> v.teams(at), TEAMS));
        all.sort(Comparator.comparingDouble((Views.Team t) -> t.resolutions().nearMissRate()).reversed()
                .thenComparing(Comparator.comparingInt((Views.Team t) -> t.resolutions().resolved()).reversed())
                .thenComparing(Views.Team::team));
        return page(ctx, at, all);
    }

    private Object demand(Context ctx) throws HttpError {
        long at = at(ctx);
        Duration window = window(Web.query(ctx, "window", "7d"));
        long to = ctx.queryParam("to") != null ? instant(ctx.queryParam("to"), "to") : at;
        long from = ctx.queryParam("from") != null ? instant(ctx.queryParam("from"), "from") : to - window.toMillis();
        if (from >= to) {
            throw new HttpError(400, "bad_window", "'from' must be before 'to'");
        }
        ZoneId zoneId = zone(ctx.queryParam("zone"));
        String query = "scope=local&at=" + at + "&from=" + from + "&to=" + to + "&zone=" + Cluster.encode(zoneId.getId());
        Views.Demand total = null;
        for (Views.Demand part : merged(ctx, at, "/api/demand", query, v -> List.of(v.demand(from, to, zoneId, closedRetentionMillis)),
                DEMAND)) {
            total = total == null ? part : total.plus(part);
        }
        return page(ctx, at, List.of(total));
    }

    /** The values of each dimension that generated the most tickets over the window, with the window before for the trend. */
    private Object recurring(Context ctx) throws HttpError {
        long at = at(ctx);
        String windowText = Web.query(ctx, "window", "7d");
        Duration window = window(windowText);
        String account = ctx.queryParam("account");
        int top = limit(ctx, 10);
        if (isLocal(ctx)) {
            return page(ctx, at, List.of(views.recurring(at - window.toMillis(), at, account, closedRetentionMillis)));
        }
        Views.Recurring total = recurringTotal(at, windowText, account);
        long from = total.from();
        long to = total.to();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("at", at);
        body.put("from", from);
        body.put("to", to);
        body.put("account", account);
        body.put("tickets", total.tickets());
        body.put("previousTickets", total.previousTickets());
        body.put("complete", total.complete());
        body.put("dimensions", LocalViews.RECURRING_DIMENSIONS);
        body.put("items", total.ranked(LocalViews.RECURRING_DIMENSIONS, top));
        return body;
    }

    /** The recurring-issue counts of the whole cluster at {@code at} over {@code window} (as 7d), for one account or all. */
    Views.Recurring recurringTotal(long at, String window, String account) throws HttpError {
        long to = at;
        long from = to - window(window).toMillis();
        String query = "scope=local&at=" + at + "&window=" + Cluster.encode(window) + (account == null ? "" : "&account=" + Cluster.encode(account));
        Cluster.Gathered<Views.Recurring> gathered = cluster.gather(v -> List.of(v.recurring(from, to, account, closedRetentionMillis)), views,
                "/api/recurring-issues", query, RECURRING);
        Views.Recurring total = new Views.Recurring(from, to, account, 0, 0, Map.of(), true);
        for (List<Views.Recurring> part : gathered.parts()) {
            for (Views.Recurring share : part) {
                total = total.plus(share);
            }
        }
        return total;
    }

    /** The moment "now" is for the service: the wall clock, or the newest event time when event time drives it. */
    long now() {
        return now.getAsLong();
    }

    private Object signals(Context ctx) throws HttpError {
        String account = ctx.queryParam("account");
        String kind = ctx.queryParam("kind");
        String state = ctx.queryParam("state");
        String ticket = ctx.queryParam("ticket");
        Predicate<SignalTimeline.Entry> filter = e -> (account == null || account.equals(e.accountId()))
                && (kind == null || kind.equalsIgnoreCase(e.kind())) && (state == null || state.equalsIgnoreCase(e.state()))
                && (ticket == null || ticket.equals(e.ticketKey()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("caughtUp", timeline.caughtUp());
        body.put("items", timeline.recent(filter, limit(ctx, 200)));
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

    private <T> List<T> merged(Context ctx, long at, String path, java.util.function.Function<LocalViews, List<T>> local,
                               TypeReference<List<T>> type) throws HttpError {
        return merged(ctx, at, path, peerQuery(ctx, at), local, type);
    }

    private <T> List<T> merged(Context ctx, long at, String path, String query, java.util.function.Function<LocalViews, List<T>> local,
                               TypeReference<List<T>> type) throws HttpError {
        if (isLocal(ctx)) {
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

    private Map<String, Object> page(Context ctx, long at, List<?> items) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("at", at);
        if (!isLocal(ctx)) {
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

    private static boolean isLocal(Context ctx) {
        return "local".equals(ctx.queryParam("scope"));
    }

    /** The query as the other instances must see it: local scope and this request's moment first (first value wins). */
    private static String peerQuery(Context ctx, long at) {
        String raw = ctx.queryString();
        return "scope=local&at=" + at + (raw == null || raw.isEmpty() ? "" : "&" + raw);
    }

    private long at(Context ctx) throws HttpError {
        String at = ctx.queryParam("at");
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

    private static int limit(Context ctx, int fallback) throws HttpError {
        String text = ctx.queryParam("limit");
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
