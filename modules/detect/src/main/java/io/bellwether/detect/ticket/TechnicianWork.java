package io.bellwether.detect.ticket;

import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.state.TicketFact;
import io.bellwether.detect.state.TicketState;
import io.bellwether.detect.time.WorkWeeks;
import io.bellwether.detect.time.BusinessCalendar;
import io.bellwether.events.ActorType;
import io.bellwether.events.TicketEvent;

/**
 * Which events are a technician's work, for the sustained-load rule. An event that is not the customer's nor the
 * system's, on a ticket with an assignee, is work of that assignee: the first such event on a ticket in the assignee's
 * calendar week counts the ticket once for that week (handed to someone else and back, it counts again). An event is
 * out of hours when the assignee made it themself (the event names them as its actor, or is an agent's and names no
 * actor) outside their calendar's working hours; an export whose actor column names someone else (ServiceNow's
 * "Updated by") says nothing about the assignee's hours. What the rule counts is days with late work, so only the first
 * such event on a ticket in a day is reported. Late events (older than the ticket's last) are not counted.
 */
final class TechnicianWork {
    private TechnicianWork() {
    }

    /** Marks {@code fact} with the work {@code event} was, remembering the ticket's work week in {@code state}. */
    static void mark(TicketEvent event, TicketState state, TicketFact fact, long at, Rules rules) {
        Rules.SustainedLoad rule = rules.sustainedLoad();
        String assignee = state.getAssignee();
        ActorType actorType = event.getActorType();
        if (!rule.enabled() || assignee == null || actorType == ActorType.CUSTOMER || actorType == ActorType.SYSTEM) {
            return;
        }
        BusinessCalendar calendar = rules.technicianCalendar(assignee);
        long week = WorkWeeks.weekOf(at, calendar.zone());
        boolean newWeek = state.getWorkWeek() == null || week > state.getWorkWeek()
                || week == state.getWorkWeek() && !assignee.equals(state.getWorkBy());
        if (newWeek) {
            state.setWorkWeek(week);
            state.setWorkBy(assignee);
        }
        boolean byAssignee = assignee.equals(event.getActor()) || event.getActor() == null && actorType == ActorType.AGENT;
        boolean outOfHours = false;
        if (byAssignee && !calendar.isWorkingTime(at)) {
            long day = java.time.Instant.ofEpochMilli(at).atZone(calendar.zone()).toLocalDate().toEpochDay();
            outOfHours = state.getLateDay() == null || day != state.getLateDay();
            state.setLateDay(day);
        }
        if (newWeek || outOfHours) {
            fact.setWorkedBy(assignee);
            fact.setNewWorkWeek(newWeek);
            fact.setOutOfHours(outOfHours);
        }
    }
}
