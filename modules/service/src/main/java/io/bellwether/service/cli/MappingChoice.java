package io.bellwether.service.cli;

import io.bellwether.replay.ExportMapping;

import java.nio.file.Files;
import java.nio.file.Path;

/** A mapping given on the command line: a file, or the name of one shipped with Bellwether. */
final class MappingChoice {
    private MappingChoice() {
    }

    static ExportMapping resolve(String value) {
        Path file = Path.of(value);
        return Files.isRegularFile(file) ? ExportMapping.load(file) : ExportMapping.bundled(value);
    }
}
