package io.bellwether.replay;

import io.bellwether.events.ActorType;
import io.bellwether.events.Priority;
import io.bellwether.events.StatusCategory;
import io.bellwether.events.TicketEvent;
import io.bellwether.events.TicketEventType;
import io.bellwether.events.TicketKeys;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Realistic MSP ticket traffic: many accounts with a skew (a tenth of them open half the tickets), tickets with
 * lifecycles (opened unassigned, picked up, worked, sometimes parked on the customer, resolved, sometimes reopened
 * or bounced between technicians), outage waves on one configuration item across accounts, events in time order.
 * Deterministic for a seed. For the benchmarks and the tests that need history at realistic size.
 */
public final class SyntheticHistory {
    private static final String[] CATEGORIES = {"Email", "Network", "Hardware", "Applications", "Printing", "Access", "Backup", "VPN"};
    private static final String[] TEAMS = {"Service Desk", "Field Services", "Projects"};

    private final SplittableRandom random;
    private final int accounts;
    private final String source;
    private int tickets;

    public SyntheticHistory(long seed, int accounts, String source) {
        this.random = new SplittableRandom(seed);
        this.accounts = accounts;
        this.source = source;
    }

    /** About {@code events} events of tickets opened over [from, to), sorted by event time. */
    public List<TicketEvent> generate(int events, long from, long to) {
        List<TicketEvent> out = new ArrayList<>(events + 16);
        while (out.size() < events) {
            long opened = from + (long) (random.nextDouble() * (to - from));
            out.addAll(lifecycle(opened, to));
        }
        out.sort(Comparator.comparing(TicketEvent::getOccurredAt));
        return out.size() > events ? new ArrayList<>(out.subList(0, events)) : out;
    }

    /** One ticket's events from {@code opened}, none at or after {@code until}. */
    public List<TicketEvent> lifecycle(long opened, long until) {
        String ticket = "T-" + (++tickets);
        String account = account();
        Priority priority = priority();
        String category = CATEGORIES[random.nextInt(CATEGORIES.length)];
        String team = TEAMS[random.nextInt(TEAMS.length)];
        String tech = "tech-" + random.nextInt(40);
        List<TicketEvent> out = new ArrayList<>();
        long t = opened;
        out.add(event(ticket, account, TicketEventType.CREATED, "New", StatusCategory.NEW, priority, null, team, category, ActorType.CUSTOMER, t, opened));
        t += minutes(5, 90);
        out.add(event(ticket, account, TicketEventType.ASSIGNED, "In Progress", StatusCategory.IN_PROGRESS, priority, tech, team, category, ActorType.AGENT, t, opened));
        int updates = 1 + random.nextInt(4);
        for (int i = 0; i < updates; i++) {
            t += minutes(10, 600);
            boolean waiting = random.nextInt(5) == 0;
            out.add(event(ticket, account, waiting ? TicketEventType.STATUS_CHANGED : TicketEventType.COMMENTED, waiting ? "Waiting on Customer" : "In Progress",
                    waiting ? StatusCategory.WAITING_ON_CUSTOMER : StatusCategory.IN_PROGRESS, priority, tech, team, category, ActorType.AGENT, t, opened));
        }
        if (random.nextInt(8) == 0) {
            String other = "tech-" + random.nextInt(40);
            t += minutes(10, 120);
            out.add(event(ticket, account, TicketEventType.ASSIGNED, "In Progress", StatusCategory.IN_PROGRESS, priority, other, team, category, ActorType.AGENT, t, opened));
            t += minutes(10, 120);
            out.add(event(ticket, account, TicketEventType.ASSIGNED, "In Progress", StatusCategory.IN_PROGRESS, priority, tech, team, category, ActorType.AGENT, t, opened));
        }
        t += minutes(30, 2400);
        out.add(event(ticket, account, TicketEventType.RESOLVED, "Resolved", StatusCategory.RESOLVED, priority, tech, team, category, ActorType.AGENT, t, opened));
        if (random.nextInt(10) == 0) {
            t += minutes(60, 1440);
            out.add(event(ticket, account, TicketEventType.REOPENED, "Reopened", StatusCategory.OPEN, priority, tech, team, category, ActorType.CUSTOMER, t, opened));
            t += minutes(30, 600);
            out.add(event(ticket, account, TicketEventType.RESOLVED, "Resolved", StatusCategory.RESOLVED, priority, tech, team, category, ActorType.AGENT, t, opened));
        }
        out.removeIf(e -> e.getOccurredAt().toEpochMilli() >= until);
        return out;
    }

    /**
     * An outage wave: {@code tickets} new tickets on configuration item {@code ci} from every account in turn within
     * {@code spreadMillis} from {@code from}, each picked up late and resolved within a day.
     */
    public List<TicketEvent> wave(String ci, int tickets, long from, long spreadMillis) {
        List<TicketEvent> out = new ArrayList<>();
        for (int i = 0; i < tickets; i++) {
            String ticket = "W-" + (++this.tickets);
            String account = "acct-" + (i % accounts);
            long opened = from + spreadMillis * i / Math.max(1, tickets);
            String tech = "tech-" + random.nextInt(40);
            TicketEvent created = event(ticket, account, TicketEventType.CREATED, "New", StatusCategory.NEW, Priority.P2, null, "Service Desk",
                    "Network", ActorType.CUSTOMER, opened, opened);
            created.setConfigurationItem(ci);
            out.add(created);
            long picked = opened + minutes(45, 240);
            TicketEvent assigned = event(ticket, account, TicketEventType.ASSIGNED, "In Progress", StatusCategory.IN_PROGRESS, Priority.P2, tech,
                    "Service Desk", "Network", ActorType.AGENT, picked, opened);
            assigned.setConfigurationItem(ci);
            out.add(assigned);
            TicketEvent resolved = event(ticket, account, TicketEventType.RESOLVED, "Resolved", StatusCategory.RESOLVED, Priority.P2, tech,
                    "Service Desk", "Network", ActorType.AGENT, picked + minutes(60, 1200), opened);
            resolved.setConfigurationItem(ci);
            out.add(resolved);
        }
        return out;
    }

    /**
     * One account's history: {@code open} tickets opened over [from, to) and still open, and closed ones (opened,
     * picked up, resolved) over the same year, about {@code events} events in all, sorted by event time.
     */
    public List<TicketEvent> busyAccount(String account, int open, int events, long from, long to) {
        List<TicketEvent> out = new ArrayList<>(events + 16);
        for (int i = 0; i < open; i++) {
            String ticket = "O-" + (++tickets);
            long opened = from + (long) (random.nextDouble() * (to - from));
            out.add(event(ticket, account, TicketEventType.CREATED, "In Progress", StatusCategory.IN_PROGRESS, priority(), "tech-" + random.nextInt(40),
                    TEAMS[random.nextInt(TEAMS.length)], CATEGORIES[random.nextInt(CATEGORIES.length)], ActorType.CUSTOMER, opened, opened));
        }
        while (out.size() < events) {
            String ticket = "C-" + (++tickets);
            long opened = from + (long) (random.nextDouble() * (to - from));
            Priority priority = priority();
            String team = TEAMS[random.nextInt(TEAMS.length)];
            String category = CATEGORIES[random.nextInt(CATEGORIES.length)];
            String tech = "tech-" + random.nextInt(40);
            long picked = opened + minutes(5, 90);
            out.add(event(ticket, account, TicketEventType.CREATED, "New", StatusCategory.NEW, priority, null, team, category, ActorType.CUSTOMER, opened, opened));
            out.add(event(ticket, account, TicketEventType.ASSIGNED, "In Progress", StatusCategory.IN_PROGRESS, priority, tech, team, category,
                    ActorType.AGENT, picked, opened));
            out.add(event(ticket, account, TicketEventType.RESOLVED, "Resolved", StatusCategory.RESOLVED, priority, tech, team, category,
                    ActorType.AGENT, picked + minutes(30, 2400), opened));
        }
        out.removeIf(e -> e.getOccurredAt().toEpochMilli() >= to);
        out.sort(Comparator.comparing(TicketEvent::getOccurredAt));
        return out;
    }

    /** A ticket that reopens twice: its last event raises a reopen loop at once. */
    public List<TicketEvent> reopenLoop(String ticket, long at) {
        // Probes spread over the workload's accounts: piling hundreds of reopen loops onto one account would time that
        // account's windowed rules, not the pipeline.
        String account = account();
        List<TicketEvent> out = new ArrayList<>();
        TicketEventType[] types = {TicketEventType.CREATED, TicketEventType.RESOLVED, TicketEventType.REOPENED, TicketEventType.RESOLVED,
                TicketEventType.REOPENED};
        StatusCategory[] statuses = {StatusCategory.NEW, StatusCategory.RESOLVED, StatusCategory.OPEN, StatusCategory.RESOLVED, StatusCategory.OPEN};
        for (int i = 0; i < types.length; i++) {
            out.add(event(ticket, account, types[i], statuses[i].name(), statuses[i], Priority.P3, "probe-tech", "Service Desk", "Probe",
                    i == 0 || types[i] == TicketEventType.REOPENED ? ActorType.CUSTOMER : ActorType.AGENT, at - (types.length - i), at - 10));
        }
        return out;
    }

    /** A new, unassigned ticket opened at {@code opened}. */
    public TicketEvent unassigned(String ticket, long opened) {
        return event(ticket, "delay-account", TicketEventType.CREATED, "New", StatusCategory.NEW, Priority.P3, null, "Service Desk", "Delay",
                ActorType.CUSTOMER, opened, opened);
    }

    /** An open ticket, assigned, opened at {@code opened}. */
    public TicketEvent openTicket(String ticket, long opened) {
        return event(ticket, account(), TicketEventType.CREATED, "In Progress", StatusCategory.IN_PROGRESS, priority(), "tech-" + random.nextInt(40),
                TEAMS[random.nextInt(TEAMS.length)], CATEGORIES[random.nextInt(CATEGORIES.length)], ActorType.AGENT, opened, opened);
    }

    public String key(TicketEvent event) {
        return TicketKeys.ticketKey(event);
    }

    private TicketEvent event(String ticket, String account, TicketEventType type, String status, StatusCategory category, Priority priority,
                              String assignee, String team, String categoryName, ActorType actor, long at, long created) {
        return TicketEvent.newBuilder()
                .setEventId(source + ":" + ticket + ":" + at + ":" + type)
                .setSourceSystem(source).setSourceEventId(ticket + ":" + at + ":" + type).setTicketId(ticket)
                .setAccountId(account).setAccountName(account.toUpperCase())
                .setEventType(type).setStatus(status).setStatusCategory(category)
                .setPriority(priority.name()).setPriorityLevel(priority)
                .setAssignee(assignee).setTeam(team).setCategory(categoryName).setConfigurationItem(null).setVendor(null)
                .setEscalated(false).setActor(assignee == null ? "customer" : assignee).setActorType(actor)
                .setOccurredAt(Instant.ofEpochMilli(at)).setReceivedAt(Instant.ofEpochMilli(at)).setCreatedAt(Instant.ofEpochMilli(created))
                .setChanges(List.of()).setAttributes(Map.of())
                .build();
    }

    private String account() {
        // A tenth of the accounts open half of the tickets.
        int busy = Math.max(1, accounts / 10);
        return "acct-" + (random.nextBoolean() ? random.nextInt(busy) : busy + random.nextInt(accounts - busy));
    }

    private Priority priority() {
        int p = random.nextInt(100);
        return p < 3 ? Priority.P1 : p < 18 ? Priority.P2 : p < 70 ? Priority.P3 : Priority.P4;
    }

    private long minutes(int min, int max) {
        return (min + random.nextInt(max - min)) * 60_000L;
    }
}
