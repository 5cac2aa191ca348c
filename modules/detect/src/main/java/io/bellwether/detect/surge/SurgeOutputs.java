package io.bellwether.detect.surge;

import io.bellwether.detect.Outlet;
import io.bellwether.detect.state.SurgeNotice;
import io.bellwether.events.RiskSignal;

/**
 * Where the surge stage sends each kind of output.
 *
 * @param signals surge signal transitions (risk-signals)
 * @param security SECURITY_BURST transitions (security-signals)
 * @param notices every version of a surge occurrence, keyed by occurrence (surges, read back for inhibition)
 */
public record SurgeOutputs(Outlet<RiskSignal> signals, Outlet<RiskSignal> security, Outlet<SurgeNotice> notices) {
}
