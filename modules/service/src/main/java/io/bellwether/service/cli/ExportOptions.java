package io.bellwether.service.cli;

import io.bellwether.replay.ExportMapping;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The historical export a command reads, and the mapping that says how its columns become ticket events. */
public final class ExportOptions {
    @Option(names = "--export", required = true, paramLabel = "FILE", description = "The export: CSV or JSON Lines, optionally gzipped.")
    Path export;

    @Option(names = "--mapping", required = true, paramLabel = "FILE|NAME",
            description = "Mapping file, or a bundled one: servicenow-incident, bellwether-sample.")
    String mapping;

    Path export() {
        return export;
    }

    ExportMapping mapping() {
        return MappingChoice.resolve(mapping);
    }
}
