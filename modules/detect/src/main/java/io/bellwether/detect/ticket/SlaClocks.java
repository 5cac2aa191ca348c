package io.bellwether.detect.ticket;

import io.bellwether.detect.state.PauseSpan;
import io.bellwether.detect.state.SlaClock;
import io.bellwether.detect.time.BusinessCalendar;
import io.bellwether.events.ClockState;
import io.bellwether.events.StatusCategory;
import io.bellwether.events.TimeInterval;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * SLA clock arithmetic. A clock counts business time while the ticket is open and not waiting on someone
 * outside the desk; it pauses while waiting, stops for good at its goal (first response, resolution), and on a
 * reopen either resumes where it stopped or restarts from zero. Elapsed time is accrued at every status change in
 * the calendar that applied until then, so a priority change that switches calendars counts each span correctly.
 */
public final class SlaClocks {
    private static final int MAX_PAUSES = 8;

    private SlaClocks() {
    }

    public static SlaClock started(long at) {
        return SlaClock.newBuilder().setStartedAt(at).setElapsedMillis(0).setRunningSince(at).setStoppedAt(null)
                .setPauses(new ArrayList<>()).setRestarts(0).build();
    }

    /** Adds the running span up to {@code at} to the elapsed time, in the calendar that applied during it. */
    public static void accrue(SlaClock clock, long at, BusinessCalendar calendar) {
        Long since = clock.getRunningSince();
        if (since != null && at > since) {
            clock.setElapsedMillis(clock.getElapsedMillis() + calendar.between(since, at));
            clock.setRunningSince(at);
        }
    }

    /** Brings the clock into the state the status category calls for, as of {@code at} (after {@link #accrue}). */
    public static void settle(SlaClock clock, StatusCategory category, long at, Set<StatusCategory> pauseOn) {
        if (clock.getStoppedAt() != null) {
            return;
        }
        boolean paused = pauseOn.contains(category);
        PauseSpan open = openPause(clock);
        if (open != null && !paused) {
            open.setTo(at);
        }
        if (Statuses.isDone(category)) {
            stop(clock, at);
        } else if (paused) {
            clock.setRunningSince(null);
            if (open == null) {
                addPause(clock, at, category.name());
            }
        } else if (clock.getRunningSince() == null) {
            clock.setRunningSince(at);
        }
    }

    /** Stops the clock at its goal. */
    public static void stop(SlaClock clock, long at) {
        if (clock.getStoppedAt() != null) {
            return;
        }
        PauseSpan open = openPause(clock);
        if (open != null) {
            open.setTo(at);
        }
        clock.setRunningSince(null);
        clock.setStoppedAt(at);
    }

    /** A reopen: resume from where the clock stopped, or restart it from zero. */
    public static SlaClock reopen(SlaClock clock, long at, boolean restart, StatusCategory category, Set<StatusCategory> pauseOn) {
        SlaClock result = clock;
        if (restart) {
            result = started(at);
            result.setRestarts(clock.getRestarts() + 1);
        } else {
            result.setStoppedAt(null);
            result.setRunningSince(at);
        }
        settle(result, category, at, pauseOn);
        return result;
    }

    /** Business milliseconds counted by {@code at}. */
    public static long elapsedAt(SlaClock clock, long at, BusinessCalendar calendar) {
        Long since = clock.getRunningSince();
        return clock.getElapsedMillis() + (since != null && at > since ? calendar.between(since, at) : 0);
    }

    /** The moment the clock reaches {@code targetMillis} if it keeps running, or null when it is not running. */
    public static Long reachesAt(SlaClock clock, long targetMillis, BusinessCalendar calendar) {
        Long since = clock.getRunningSince();
        if (since == null) {
            return null;
        }
        long remaining = targetMillis - clock.getElapsedMillis();
        return remaining <= 0 ? since : calendar.plus(since, remaining);
    }

    public static boolean isRunning(SlaClock clock) {
        return clock.getRunningSince() != null;
    }

    public static boolean isStopped(SlaClock clock) {
        return clock.getStoppedAt() != null;
    }

    /** The clock as evidence, at {@code at}. */
    public static ClockState evidence(String name, SlaClock clock, long at, long targetMillis, BusinessCalendar calendar) {
        List<TimeInterval> pauses = new ArrayList<>();
        for (PauseSpan p : clock.getPauses()) {
            pauses.add(TimeInterval.newBuilder().setFrom(Instant.ofEpochMilli(p.getFrom()))
                    .setTo(p.getTo() == null ? null : Instant.ofEpochMilli(p.getTo())).setReason(p.getReason()).build());
        }
        Long due = reachesAt(clock, targetMillis, calendar);
        return ClockState.newBuilder()
                .setClock(name)
                .setCalendarId(calendar.id())
                .setZone(calendar.zone().getId())
                .setStartedAt(Instant.ofEpochMilli(clock.getStartedAt()))
                .setElapsedBusinessMillis(elapsedAt(clock, at, calendar))
                .setTargetBusinessMillis(targetMillis)
                .setDueAt(due == null ? null : Instant.ofEpochMilli(due))
                .setPaused(clock.getRunningSince() == null && clock.getStoppedAt() == null)
                .setPausedIntervals(pauses)
                .setRestarts(clock.getRestarts())
                .build();
    }

    private static PauseSpan openPause(SlaClock clock) {
        List<PauseSpan> pauses = clock.getPauses();
        if (pauses.isEmpty()) {
            return null;
        }
        PauseSpan last = pauses.get(pauses.size() - 1);
        return last.getTo() == null ? last : null;
    }

    private static void addPause(SlaClock clock, long at, String reason) {
        List<PauseSpan> pauses = clock.getPauses();
        pauses.add(PauseSpan.newBuilder().setFrom(at).setTo(null).setReason(reason).build());
        while (pauses.size() > MAX_PAUSES) {
            pauses.remove(0);
        }
    }
}
