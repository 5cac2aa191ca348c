package io.bellwether.detect.surge;

import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.state.SurgeState;

/**
 * What the surge rule reads of one shared dimension.
 *
 * @param dimension the dimension key (category:…, ci:…, vendor:…)
 * @param state     its hourly counts and the window's tickets
 * @param rule      the surge settings in force
 */
record SurgeView(String dimension, SurgeState state, Rules.Surge rule) {
}
