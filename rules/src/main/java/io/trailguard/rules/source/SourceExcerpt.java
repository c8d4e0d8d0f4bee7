package io.trailguard.rules.source;

/**
 * Renders a {@link Diagnostic} with its place in the file, as compilers do:
 * <pre>
 * rules.yaml:3:24: rule 'R': unknown field 'ct.nam' (did you mean 'ct.name'?)
 *   condition: ct.name = x and ct.nam = y
 *                        ^
 * </pre>
 * The source line is printed as it is (tabs kept, so the caret lines up under tab-indented text); without the
 * file's text, or past its end, only the first line is printed.
 */
public final class SourceExcerpt {
    /** Longest source line printed; longer lines are cut around the column. */
    static final int MAX_WIDTH = 160;

    private SourceExcerpt() {}

    public static String render(Diagnostic d, String text) {
        String head = d.toString();
        String line = text == null ? null : line(text, d.line());
        if (line == null) {
            return head;
        }
        int col = Math.max(1, Math.min(d.column(), line.length() + 1));
        int from = 0;
        if (line.length() > MAX_WIDTH) {
            from = Math.max(0, Math.min(col - 1 - MAX_WIDTH / 2, line.length() - MAX_WIDTH));
            line = line.substring(from, Math.min(line.length(), from + MAX_WIDTH));
        }
        StringBuilder caret = new StringBuilder();
        for (int i = 0; i < col - 1 - from && i < line.length(); i++) {
            caret.append(line.charAt(i) == '\t' ? '\t' : ' ');
        }
        return head + "\n  " + line + "\n  " + caret + "^";
    }

    /** The 1-based line {@code n} of {@code text} without its line break, or null past the end. */
    static String line(String text, int n) {
        int start = 0;
        for (int i = 1; i < n; i++) {
            int nl = text.indexOf('\n', start);
            if (nl < 0) {
                return null;
            }
            start = nl + 1;
        }
        if (start > text.length()) {
            return null;
        }
        int end = text.indexOf('\n', start);
        String l = text.substring(start, end < 0 ? text.length() : end);
        return l.endsWith("\r") ? l.substring(0, l.length() - 1) : l;
    }
}
