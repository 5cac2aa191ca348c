package io.bellwether.replay.backtest;

import java.util.List;
import java.util.Map;

/** A backtest's results, per signal kind and overall, for one or two rule sets; also written as JSON. */
public record BacktestReport(String export, String mapping, long events, long badRows, long tickets, String from, String to,
                             double seconds, List<Run> runs, List<Timeline> timelines) {

    /**
     * One rules file's results.
     *
     * @param ticketSignals the ticket-level kinds together (what the "still open after H hours" baseline competes with)
     * @param baselines     that baseline at the alert's volume, at its best F1 and at the reference 96 h
     * @param ticketAlert   the consolidated ticket alert (one dedup key per ticket), or null when it raised nothing
     * @param scoredFrom    when not null, only tickets opened from then on were judged
     * @param truths        kinds scored against what the export itself says of them (PING_PONG against a ping-pong column)
     */
    public record Run(String rules, long signalsRaised, long tickets, long ticketsWentBad, long slaMissed, long slaMissedSignalledInTime,
                      Map<String, KindScore> kinds, KindScore overall, Map<String, Long> alertsPerDay, KindScore ticketSignals,
                      List<Baseline> baselines, KindScore ticketAlert, String scoredFrom, List<TruthScore> truths) {
    }

    /**
     * One kind against the export's own truth about it: a condition detected, not a forecast, so a ticket counts as caught
     * if the kind was raised on it at all.
     *
     * @param truthTickets tickets the export says had it
     * @param signalled    tickets the kind was raised on
     */
    public record TruthScore(String kind, String truth, long truthTickets, long signalled, long caught, Double precision, Double recall) {
    }

    /**
     * "Flag a ticket still open {@code hours} after it was opened", scored like the rules.
     *
     * @param flagged tickets flagged (one alert each)
     */
    public record Baseline(String label, int hours, long flagged, Double precision, Double recall, Double f1, double alertsPerDay,
                           Long leadP50Minutes) {
    }

    /**
     * @param precision   signalled tickets (or account signals) that did go bad; null when nothing was judged
     * @param recall      tickets that went bad and were signalled first; null when none went bad
     * @param leadP50Minutes median lead time of the recalled tickets
     */
    public record KindScore(String kind, long raised, long tickets, long accounts, Double precision, Double recall, long recalled,
                            Long leadP10Minutes, Long leadP50Minutes, Long leadP90Minutes, double alertsPerDay,
                            Map<String, Long> leadHistogram) {
    }

    /** One account's tickets and signals over time, for the report's timeline plot. */
    public record Timeline(String accountId, List<Mark> marks) {
    }

    public record Mark(String at, String lane, String label, String kind) {
    }
}
