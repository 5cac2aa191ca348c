package io.bellwether.replay.calibrate;

import java.util.List;
import java.util.Locale;

/**
 * A calibration written as a rules file over the built-in rules: the consolidated ticket alert raises on the learned
 * thresholds alone (the fine-grained signals stay on their topic and become its evidence), with a comment on every
 * number saying where it came from.
 */
public final class CalibratedRules {
    private CalibratedRules() {
    }

    public static String yaml(Calibrator.Calibration c, String export, String mapping) {
        StringBuilder y = new StringBuilder();
        Calibrator.Settings s = c.settings();
        y.append("# Calibrated by `bellwether calibrate` from ").append(export).append(" (mapping ").append(mapping).append(").\n");
        y.append(String.format(Locale.ROOT, "# Learned from the %,d tickets opened before %s only (%,d of them %s); nothing opened later was read.%n",
                c.tickets(), c.until(), c.missed(), c.slaOutcome() ? "missed their SLA" : "went bad"));
        y.append("# Method, per priority: a still-open ticket is likely to miss once it has been open (wall time, from opening to\n");
        y.append(String.format(Locale.ROOT, "# first resolution) longer than %s of the tickets that %s took. A priority with fewer than %d%n",
                Calibrator.percent(s.quantile()), c.slaOutcome() ? "made their SLA" : "went well", s.minOnTime()));
        y.append(String.format(Locale.ROOT, "# such tickets is flagged at once if at least %s of its tickets (%d or more) missed, else left out.%n",
                Calibrator.percent(s.nearlyAlways()), s.minTickets()));
        y.append(String.format(Locale.ROOT, "# A weekday with at least %d on-time tickets opened on it (in %s) gets its own threshold: SLAs counted in%n"
                + "# working days give a ticket opened before a weekend more wall time.%n", s.minOnTimeDay(), c.zone()));
        y.append("version: 1\n\ndefaults:\n  ticketAlert:\n    enabled: true\n    version: 2\n");
        y.append("    raiseOn: []                # the learned thresholds alone raise; the fine-grained signals are evidence\n");
        boolean any = c.thresholds().stream().anyMatch(Calibrator.Threshold::learned);
        y.append(any ? "    likelyToMiss:\n" : "    likelyToMiss: {}           # nothing could be learned\n");
        for (Calibrator.Threshold t : c.thresholds()) {
            if (t.day() != null) {
                continue;
            }
            y.append("      # ").append(t.basis()).append('\n');
            if (!t.learned()) {
                continue;
            }
            List<Calibrator.Threshold> days = c.thresholds().stream().filter(d -> d.priority() == t.priority() && d.day() != null).toList();
            if (days.isEmpty()) {
                y.append("      ").append(t.priority()).append(": ").append(Calibrator.human(t.after())).append('\n');
                continue;
            }
            y.append("      ").append(t.priority()).append(":\n");
            y.append("        default: ").append(Calibrator.human(t.after())).append("   # opening days with too few on-time tickets of their own\n");
            for (Calibrator.Threshold d : days) {
                y.append("        ").append(d.day()).append(": ").append(Calibrator.human(d.after())).append("   # ").append(d.basis()).append('\n');
            }
        }
        y.append(any ? "    basis:\n" : "    basis: {}\n");
        for (Calibrator.Threshold t : c.thresholds()) {
            if (t.learned()) {
                y.append("      ").append(t.day() == null ? t.priority().name() : "\"" + t.priority() + " " + t.day() + "\"").append(": \"")
                        .append(t.basis().replace("\"", "'")).append("\"\n");
            }
        }
        return y.toString();
    }
}
