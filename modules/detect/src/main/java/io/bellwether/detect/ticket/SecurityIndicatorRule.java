package io.bellwether.detect.ticket;

import io.bellwether.detect.lifecycle.Verdict;
import io.bellwether.detect.lifecycle.VerdictBuilder;
import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.state.SecurityMatch;
import io.bellwether.events.Severity;
import io.bellwether.events.SignalKind;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A ticket that looks like a security event (a phishing report, an unusual login, malware, a lost device, an MFA reset)
 * raises SECURITY_INDICATOR at once, at the most serious matched indicator's severity, for the security team. The reason
 * names what matched (indicator, field, configured term) and nothing else of the ticket's text. Over when the ticket is
 * closed; a resolved ticket keeps it, since a resolved phishing report is still one the security team has to see.
 */
public final class SecurityIndicatorRule implements TicketRule {
    public static final String RULE_ID = "security-indicator";

    private final Rules.Security security;

    public SecurityIndicatorRule(Rules.Security security) {
        this.security = security;
    }

    @Override
    public void evaluate(TicketView ticket, long at, List<Verdict> out) {
        List<SecurityMatch> matches = ticket.state().getSecurityMatches();
        boolean closed = Statuses.isFinal(ticket.state().getStatusCategory());
        if ((matches.isEmpty() || closed || !security.enabled()) && !ticket.raised(RULE_ID)) {
            return;
        }
        VerdictBuilder verdict = ticket.verdict(RULE_ID, security.version(), SignalKind.SECURITY_INDICATOR)
                .fact("indicators", matches.stream().map(SecurityMatch::getIndicator).collect(Collectors.joining(",")));
        if (!security.enabled()) {
            out.add(verdict.inactive("Rule disabled").build());
        } else if (closed) {
            out.add(verdict.inactive("Closed").build());
        } else {
            Severity severity = Severity.INFO;
            for (SecurityMatch match : matches) {
                Severity s = Severity.valueOf(match.getSeverity());
                severity = s.compareTo(severity) > 0 ? s : severity;
            }
            out.add(verdict.active(severity, "Security indicator " + matches.stream()
                    .map(m -> m.getIndicator() + " (" + m.getField() + " matched '" + m.getTerm() + "')")
                    .collect(Collectors.joining(", ")) + ", " + ticket.context()).build());
        }
    }

    @Override
    public long nextChange(TicketView ticket, long at) {
        return Long.MAX_VALUE;
    }
}
