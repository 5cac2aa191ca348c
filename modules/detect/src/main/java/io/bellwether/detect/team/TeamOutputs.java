package io.bellwether.detect.team;

import io.bellwether.detect.Outlet;
import io.bellwether.events.RiskSignal;

/**
 * Where the technician stage sends its output.
 *
 * @param signals technician and team signal transitions (risk-signals)
 * @param people  SUSTAINED_LOAD transitions, for managers only (people-signals)
 */
public record TeamOutputs(Outlet<RiskSignal> signals, Outlet<RiskSignal> people) {
}
