package io.bellwether.detect.rules;

/**
 * A rules file was refused. The message reads "rules.yaml line 12: defaults.sla.warnAt: ..." so the person
 * who wrote it can go straight to the problem.
 */
public class RulesException extends RuntimeException {
    private final String source;
    private final int line;
    private final String path;
    private final java.util.List<RulesException> problems;

    public RulesException(String source, int line, String path, String problem) {
        super(source + (line > 0 ? " line " + line : "") + ": " + (path.isEmpty() ? "" : path + ": ") + problem);
        this.source = source;
        this.line = line;
        this.path = path;
        this.problems = java.util.List.of(this);
    }

    /** Every problem of one file, one per line, in file order; the first one's source, line and path. */
    private RulesException(java.util.List<RulesException> problems) {
        super(problems.size() + " problems:\n" + String.join("\n", problems.stream().map(RulesException::getMessage).toList()));
        RulesException first = problems.get(0);
        this.source = first.source;
        this.line = first.line;
        this.path = first.path;
        this.problems = java.util.List.copyOf(problems);
    }

    /** One exception for all of {@code problems} (at least one): itself when there is only one. */
    static RulesException of(java.util.List<RulesException> problems) {
        return problems.size() == 1 ? problems.get(0) : new RulesException(problems);
    }

    /** Each problem found, in file order (this one alone for a single problem). */
    public java.util.List<RulesException> problems() {
        return problems;
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
