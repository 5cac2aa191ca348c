package io.bellwether.detect.ticket;

import io.bellwether.detect.rules.RuleSet;
import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.state.OwnerStep;
import io.bellwether.detect.state.SlaClock;
import io.bellwether.detect.state.TicketFact;
import io.bellwether.detect.state.TicketState;
import io.bellwether.detect.time.BusinessCalendar;
import io.bellwether.events.ActorType;
import io.bellwether.events.EscalationKind;
import io.bellwether.events.Priority;
import io.bellwether.events.StatusCategory;
import io.bellwether.events.TicketEvent;
import io.bellwether.events.TicketEventType;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Applies one ticket event to the ticket's state. Events carry snapshots, so the newest event wins: an event
 * older than the newest one applied (out of order) cannot roll the snapshot back and only contributes what
 * time cannot contradict (activity seen). A delivery already applied (same event id) changes nothing.
 */
public final class TicketUpdater {
    /** How recent a creation must be for a first sighting to count as a new ticket (surges, repeat friction). */
    static final long NEW_TICKET_HORIZON = 3_600_000L;
    private static final int MAX_OWNER_STEPS = 16;
    private static final int MAX_EVENT_HASHES = 24;
    private static final int MAX_EVENT_IDS = 4;

    private final Rules rules;

    public TicketUpdater(Rules rules) {
        this.rules = rules;
    }

    /** What applying an event did. */
    public enum Outcome { APPLIED, DUPLICATE, LATE }

    /** The new state, what it changed for downstream stages (null unless applied), and how it went. */
    public record Result(TicketState state, TicketFact fact, Outcome outcome) {
    }

    public Result apply(TicketState state, String ticketKey, TicketEvent event, long at) {
        long hash = hash(event.getEventId());
        if (state == null) {
            TicketState created = create(ticketKey, event, at);
            TicketDimensions.apply(event, created);
            remember(created, event, hash);
            Changes changes = new Changes(null, null, false, null, created.getAssignee() != null, null, false, false, created.getEscalated());
            return new Result(created, fact(created, event, at, true, changes), Outcome.APPLIED);
        }
        if (state.getRecentEventHashes().contains(hash)) {
            return new Result(state, null, Outcome.DUPLICATE);
        }
        RuleSet settings = rules.forTicket(state.getAccountId(), state.getCategory());
        if (at < state.getLastEventAt()) {
            if (isActivity(event, settings)) {
                state.setLastActivityAt(Math.max(state.getLastActivityAt(), at));
            }
            remember(state, event, hash);
            return new Result(state, null, Outcome.LATE);
        }
        return applyInOrder(state, event, at, hash);
    }

    private Result applyInOrder(TicketState state, TicketEvent event, long at, long hash) {
        RuleSet before = rules.forTicket(state.getAccountId(), state.getCategory());
        BusinessCalendar oldCalendar = rules.calendar(before.calendarFor(Priority.valueOf(state.getPriorityLevel())));
        SlaClocks.accrue(state.getResponseClock(), at, oldCalendar);
        SlaClocks.accrue(state.getResolutionClock(), at, oldCalendar);

        String previousCategory = state.getStatusCategory();
        String previousPriority = state.getPriorityLevel();
        String previousAssignee = state.getAssignee();
        String previousTeam = state.getTeam();
        String previousStatus = state.getStatus();
        boolean previousEscalated = state.getEscalated();

        StatusCategory category = categoryOf(event);
        state.setStatus(event.getStatus());
        state.setStatusCategory(category.name());
        state.setPriorityLevel(event.getPriorityLevel().name());
        state.setAssignee(event.getAssignee());
        state.setTeam(event.getTeam());
        state.setCategory(coalesce(event.getCategory(), state.getCategory()));
        state.setConfigurationItem(coalesce(event.getConfigurationItem(), state.getConfigurationItem()));
        state.setVendor(coalesce(event.getVendor(), state.getVendor()));
        state.setAccountId(coalesce(event.getAccountId(), state.getAccountId()));
        state.setAccountName(coalesce(event.getAccountName(), state.getAccountName()));
        TicketDimensions.apply(event, state);
        state.setEscalated(event.getEscalated());
        RuleSet settings = rules.forTicket(state.getAccountId(), state.getCategory());

        boolean assigneeChanged = !Objects.equals(previousAssignee, state.getAssignee());
        boolean teamChanged = !Objects.equals(previousTeam, state.getTeam());
        if (assigneeChanged) {
            String lastPerson = lastOwner(state, "person");
            recordOwner(state, at, "person", state.getAssignee());
            if (state.getAssignee() != null && lastPerson != null && !lastPerson.equals(state.getAssignee())) {
                state.setReassignmentCount(state.getReassignmentCount() + 1);
            }
            state.setUnassignedSince(state.getAssignee() == null ? Long.valueOf(at) : null);
        }
        if (teamChanged) {
            recordOwner(state, at, "team", state.getTeam());
        }
        if (assigneeChanged || teamChanged) {
            state.setLastOwnerChangeAt(at);
        }

        if (isActivity(event, settings)) {
            state.setLastActivityAt(Math.max(state.getLastActivityAt(), at));
        }
        StatusCategory before_ = StatusCategory.valueOf(previousCategory);
        boolean wasDone = Statuses.isDone(before_);
        boolean done = Statuses.isDone(category);
        boolean reopened = wasDone && !done;
        boolean resolved = !wasDone && done;

        if (state.getFirstResponseAt() == null && (isResponse(event, before_, category, settings) || done)) {
            state.setFirstResponseAt(at);
            SlaClocks.stop(state.getResponseClock(), at);
        }
        SlaClocks.settle(state.getResponseClock(), category, at, settings.sla().pauseOn());
        if (reopened) {
            state.setReopenCount(state.getReopenCount() + 1);
            state.setResolvedAt(null);
            boolean restart = settings.sla().onReopen() == RuleSet.ReopenPolicy.RESTART;
            state.setResolutionClock(SlaClocks.reopen(state.getResolutionClock(), at, restart, category, settings.sla().pauseOn()));
            if (state.getAssignee() == null && state.getUnassignedSince() == null) {
                state.setUnassignedSince(at);
            }
        } else {
            SlaClocks.settle(state.getResolutionClock(), category, at, settings.sla().pauseOn());
        }
        if (resolved) {
            state.setResolvedAt(at);
        }
        state.setLastEventAt(at);
        remember(state, event, hash);

        String escalation = firstReport(state, escalation(settings, previousPriority, state.getPriorityLevel(), previousEscalated,
                state.getEscalated(), previousStatus, state.getStatus()));
        Changes changes = new Changes(escalation, Objects.equals(previousPriority, state.getPriorityLevel()) ? null : previousPriority,
                teamChanged, teamChanged ? previousTeam : null, assigneeChanged, assigneeChanged ? previousAssignee : null, reopened, resolved,
                previousEscalated != state.getEscalated());
        return new Result(state, fact(state, event, at, false, changes), Outcome.APPLIED);
    }

    private TicketState create(String ticketKey, TicketEvent event, long at) {
        long openedAt = event.getCreatedAt() != null ? Math.min(event.getCreatedAt().toEpochMilli(), at) : at;
        StatusCategory category = categoryOf(event);
        RuleSet settings = rules.forTicket(event.getAccountId(), event.getCategory());
        BusinessCalendar calendar = rules.calendar(settings.calendarFor(event.getPriorityLevel()));
        SlaClock response = SlaClocks.started(openedAt);
        SlaClock resolution = SlaClocks.started(openedAt);
        // First sight of a ticket mid-life: assume its clocks ran since it opened, then apply what we see now.
        SlaClocks.accrue(response, at, calendar);
        SlaClocks.accrue(resolution, at, calendar);
        TicketState state = TicketState.newBuilder()
                .setTicketKey(ticketKey)
                .setAccountId(event.getAccountId())
                .setAccountName(event.getAccountName())
                .setStatus(event.getStatus())
                .setStatusCategory(category.name())
                .setPriorityLevel(event.getPriorityLevel().name())
                .setAssignee(event.getAssignee())
                .setTeam(event.getTeam())
                .setCategory(event.getCategory())
                .setConfigurationItem(event.getConfigurationItem())
                .setVendor(event.getVendor())
                .setEscalated(event.getEscalated())
                .setOpenedAt(openedAt)
                .setLastEventAt(at)
                .setLastActivityAt(openedAt)
                .setFirstResponseAt(null)
                .setResolvedAt(Statuses.isDone(category) ? Long.valueOf(at) : null)
                .setUnassignedSince(event.getAssignee() == null ? Long.valueOf(openedAt) : null)
                .setReopenCount(0)
                .setReassignmentCount(0)
                .setLastOwnerChangeAt(null)
                .setOwners(new ArrayList<>())
                .setResponseClock(response)
                .setResolutionClock(resolution)
                .setSignals(new ArrayList<>())
                .setRecentEventHashes(new ArrayList<>())
                .setRecentEventIds(new ArrayList<>())
                .setNextDueAt(null)
                .build();
        if (event.getAssignee() != null) {
            recordOwner(state, openedAt, "person", event.getAssignee());
        }
        if (event.getTeam() != null) {
            recordOwner(state, openedAt, "team", event.getTeam());
        }
        if (isActivity(event, settings) && event.getEventType() != TicketEventType.CREATED) {
            state.setLastActivityAt(at);
        }
        if (!Statuses.isUntouched(category) || isResponse(event, StatusCategory.NEW, category, settings)) {
            state.setFirstResponseAt(at);
            SlaClocks.stop(response, at);
        }
        SlaClocks.settle(response, category, at, settings.sla().pauseOn());
        SlaClocks.settle(resolution, category, at, settings.sla().pauseOn());
        return state;
    }

    /** What one event changed, beyond the snapshot. */
    private record Changes(String escalation, String previousPriority, boolean teamChanged, String previousTeam,
                           boolean assigneeChanged, String previousAssignee, boolean reopened, boolean resolved,
                           boolean escalatedChanged) {
    }

    private TicketFact fact(TicketState state, TicketEvent event, long at, boolean firstSighting, Changes changes) {
        boolean opened = firstSighting && (event.getEventType() == TicketEventType.CREATED
                || at - state.getOpenedAt() <= NEW_TICKET_HORIZON);
        // The fresh base fact, changed in place: a copying builder would deep-copy all of its fields once per event.
        TicketFact fact = baseFact(state, at);
        fact.setEventId(event.getEventId());
        fact.setOpened(opened);
        fact.setResolved(changes.resolved());
        fact.setReopened(changes.reopened());
        fact.setEscalation(changes.escalation());
        fact.setPreviousPriorityLevel(changes.previousPriority());
        fact.setTeamChanged(changes.teamChanged());
        fact.setPreviousTeam(changes.previousTeam());
        fact.setAssigneeChanged(changes.assigneeChanged());
        fact.setPreviousAssignee(changes.previousAssignee());
        fact.setEscalatedChanged(changes.escalatedChanged());
        fact.setFirstSighting(firstSighting);
        return fact;
    }

    /** The ticket as it is now, with nothing marked as changed. */
    private static TicketFact baseFact(TicketState state, long at) {
        return TicketFact.newBuilder()
                .setTicketKey(state.getTicketKey())
                .setAccountId(state.getAccountId())
                .setAccountName(state.getAccountName())
                .setEventId("")
                .setAt(at)
                .setOpened(false)
                .setResolved(false)
                .setReopened(false)
                .setIsOpen(!Statuses.isDone(state.getStatusCategory()))
                .setEscalation(null)
                .setStatusCategory(state.getStatusCategory())
                .setPriorityLevel(state.getPriorityLevel())
                .setPreviousPriorityLevel(null)
                .setCategory(state.getCategory())
                .setConfigurationItem(state.getConfigurationItem())
                .setVendor(state.getVendor())
                .setTeam(state.getTeam())
                .setTeamChanged(false)
                .setPreviousTeam(null)
                .setAssignee(state.getAssignee())
                .setAssigneeChanged(false)
                .setPreviousAssignee(null)
                .setEscalated(state.getEscalated())
                .setEscalatedChanged(false)
                .setFirstSighting(false)
                .setFirstSignalAt(state.getFirstSignalAt())
                .setFirstSignalKind(state.getFirstSignalKind())
                .setFirstSignalDedupKey(state.getFirstSignalDedupKey())
                .build();
    }

    /** The kind, if this ticket has not reported it before (and now has); null otherwise. */
    private static String firstReport(TicketState state, String kind) {
        if (kind == null) {
            return null;
        }
        int bit = 1 << EscalationKind.valueOf(kind).ordinal();
        if ((state.getEscalationsReported() & bit) != 0) {
            return null;
        }
        state.setEscalationsReported(state.getEscalationsReported() | bit);
        return kind;
    }

    /**
     * A fact reporting an escalation decided by the ticket stage itself (an SLA breach), or null when this ticket
     * already reported one of that kind.
     */
    public TicketFact escalationFact(TicketState state, EscalationKind kind, long at, String cause) {
        String reported = firstReport(state, kind.name());
        if (reported == null) {
            return null;
        }
        TicketFact fact = baseFact(state, at);
        fact.setEventId(cause);
        fact.setEscalation(reported);
        return fact;
    }

    /** The way this event escalated the ticket, or null. */
    private static String escalation(RuleSet settings, String previousPriority, String priority, boolean wasEscalated,
                                     boolean escalated, String previousStatus, String status) {
        String top = settings.escalation().topPriority().name();
        if (top.equals(priority) && !top.equals(previousPriority)) {
            return EscalationKind.PRIORITY_RAISED.name();
        }
        if (escalated && !wasEscalated) {
            return EscalationKind.ESCALATION_FLAG.name();
        }
        if (status != null && settings.escalation().statuses().contains(status) && !status.equals(previousStatus)) {
            return EscalationKind.ESCALATION_STATUS.name();
        }
        return null;
    }

    private static StatusCategory categoryOf(TicketEvent event) {
        return event.getEventType() == TicketEventType.DELETED ? StatusCategory.CANCELLED : event.getStatusCategory();
    }

    /** Agent activity for aging: an agent acted, or (by setting) a source that does not say who acted changed something. */
    static boolean isActivity(TicketEvent event, RuleSet settings) {
        ActorType actor = event.getActorType();
        return actor == ActorType.AGENT || (actor == ActorType.UNKNOWN && settings.aging().unknownActorIsAgent());
    }

    /** A first response: an agent replied or worked it, or the ticket left its untouched states. */
    static boolean isResponse(TicketEvent event, StatusCategory before, StatusCategory after, RuleSet settings) {
        if (Statuses.isUntouched(before) && !Statuses.isUntouched(after)) {
            return true;
        }
        boolean agent = event.getActorType() == ActorType.AGENT;
        TicketEventType type = event.getEventType();
        return agent && (type == TicketEventType.COMMENTED || type == TicketEventType.STATUS_CHANGED
                || type == TicketEventType.RESOLVED || type == TicketEventType.CLOSED);
    }

    private static void recordOwner(TicketState state, long at, String level, String owner) {
        List<OwnerStep> owners = state.getOwners();
        owners.add(OwnerStep.newBuilder().setAt(at).setLevel(level).setOwner(owner).build());
        while (owners.size() > MAX_OWNER_STEPS) {
            owners.remove(0);
        }
    }

    private static String lastOwner(TicketState state, String level) {
        List<OwnerStep> owners = state.getOwners();
        for (int i = owners.size() - 1; i >= 0; i--) {
            OwnerStep step = owners.get(i);
            if (step.getLevel().equals(level) && step.getOwner() != null) {
                return step.getOwner();
            }
        }
        return null;
    }

    private static void remember(TicketState state, TicketEvent event, long hash) {
        List<Long> hashes = state.getRecentEventHashes();
        hashes.add(hash);
        while (hashes.size() > MAX_EVENT_HASHES) {
            hashes.remove(0);
        }
        List<String> ids = state.getRecentEventIds();
        ids.add(event.getEventId());
        while (ids.size() > MAX_EVENT_IDS) {
            ids.remove(0);
        }
    }

    /**
     * The event id's 64-bit fingerprint, kept in ticket state to recognise duplicates: a UUID's two halves folded, any
     * other id's string hash. Ids {@link UUID#fromString} rejects without parsing (longer than 36 characters, or not
     * five dash-separated groups: most PSAs' ids) skip it, as its exception costs more than the rest of an event's update.
     */
    static long hash(String eventId) {
        if (eventId.length() <= 36 && dashes(eventId) == 4) {
            try {
                UUID uuid = UUID.fromString(eventId);
                return uuid.getMostSignificantBits() ^ uuid.getLeastSignificantBits();
            } catch (IllegalArgumentException notAUuid) {
                // a string hash, as for any other id
            }
        }
        long h = 1125899906842597L;
        for (int i = 0; i < eventId.length(); i++) {
            h = 31 * h + eventId.charAt(i);
        }
        return h;
    }

    private static int dashes(String id) {
        int count = 0;
        for (int i = 0; i < id.length(); i++) {
            if (id.charAt(i) == '-') {
                count++;
            }
        }
        return count;
    }

    private static String coalesce(String preferred, String fallback) {
        return preferred != null ? preferred : fallback;
    }
}
