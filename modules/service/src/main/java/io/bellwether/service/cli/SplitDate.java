package io.bellwether.service.cli;

import io.bellwether.common.config.ConfigException;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** The moment that splits a history into what a calibration learns from and what it is scored on. */
final class SplitDate {
    private SplitDate() {
    }

    /** {@code 2016-03-21} (midnight UTC) or an ISO instant such as {@code 2016-03-21T06:00:00Z}. */
    static Instant parse(String text, String option) {
        try {
            return text.contains("T") ? Instant.parse(text) : LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new ConfigException(option + ": '" + text + "' is neither a date (2016-03-21) nor an ISO instant (2016-03-21T00:00:00Z)");
        }
    }
}
