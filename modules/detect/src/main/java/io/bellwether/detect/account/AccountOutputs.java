package io.bellwether.detect.account;

import io.bellwether.detect.Outlet;
import io.bellwether.events.AccountRisk;
import io.bellwether.events.Escalation;
import io.bellwether.events.OwnershipGap;
import io.bellwether.events.RiskSignal;

/**
 * Where the account stage sends each kind of output.
 *
 * @param signals     account signal transitions (risk-signals)
 * @param gaps        ownership gaps of account signals (ownership-gaps)
 * @param risk        the account's score whenever it changes (account-risk)
 * @param escalations escalations and breaches, with whether a signal anticipated them (escalations)
 */
public record AccountOutputs(Outlet<RiskSignal> signals, Outlet<OwnershipGap> gaps, Outlet<AccountRisk> risk,
                             Outlet<Escalation> escalations) {
}
