package io.bellwether.detect.rules;

/**
 * A rules file was refused. The message reads "rules.yaml line 12: defaults.sla.warnAt: ..." so the person
 * who wrote it can go straight to the problem.
 */
public class RulesException extends RuntimeException {
    private final String source;
    private final int line;
    private final String path;

    public RulesException(String source, int line, String path, String problem) {
        super(source + (line > 0 ? " line " + line : "") + ": " + (path.isEmpty() ? "" : path + ": ") + problem);
        this.source = source;
        this.line = line;
        this.path = path;
    }

    public String source() {
        return source;
    }

    public int line() {
        return line;
    }

    public String path() {
        return path;
    }
}
