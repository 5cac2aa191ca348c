package io.bellwether.service.cli;

import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.rules.RulesParser;
import io.bellwether.service.ServiceConfig;

/** The rules a command runs with: the configured file over the built-in rules, or the built-in rules alone. */
final class RulesLoader {
    private RulesLoader() {
    }

    static Rules load(ServiceConfig config) {
        return config.rulesFile() == null ? RulesParser.builtIn() : RulesParser.load(config.rulesFile());
    }
}
