package io.trailguard.rules.source;

/** A load error or warning, printed as {@code file:line:col: message} (1-based line and column). */
public final class Diagnostic {
    public enum Severity { ERROR, WARNING }

    private final Severity severity;
    private final String file;
    private final int line;
    private final int column;
    private final String message;

    public Diagnostic(Severity severity, String file, int line, int column, String message) {
        this.severity = severity;
        this.file = file;
        this.line = line;
        this.column = column;
        this.message = message;
    }

    public static Diagnostic error(Position p, String message) {
        return new Diagnostic(Severity.ERROR, p.file(), p.line(), p.column(), message);
    }

    public static Diagnostic warning(Position p, String message) {
        return new Diagnostic(Severity.WARNING, p.file(), p.line(), p.column(), message);
    }

    public Severity severity() {
        return severity;
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    public String message() {
        return message;
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + (isError() ? "" : "warning: ") + message;
    }
}
