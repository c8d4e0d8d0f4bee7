package io.trailguard.rules.loader;

import java.util.List;
import java.util.Map;

/**
 * Falco's textual list substitution ({@code rule_loader_compiler.cpp resolve_list}) for the list names the
 * condition parser cannot see as one value: names holding a blank or a quote, such as {@code test list}. An
 * occurrence counts when it is delimited by the start or end of the text or one of {@code " \t\n\r(),="}; it is
 * replaced by the list's items joined with {@code ", "}, an item with a blank in double quotes.
 */
final class ListNames {
    private static final String DELIMITERS = " \t\n\r(),=";

    private ListNames() {}

    static boolean needsTextualSubstitution(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isWhitespace(c) || c == '"' || c == '\'') {
                return true;
            }
        }
        return false;
    }

    /** {@code text} with every delimited occurrence of such list names replaced by the items; marks them used. */
    static String substitute(String text, Map<String, List<String>> lists, java.util.function.Consumer<String> used) {
        String out = text;
        for (Map.Entry<String, List<String>> l : lists.entrySet()) {
            String name = l.getKey();
            if (!needsTextualSubstitution(name) || out.indexOf(name) < 0) {
                continue;
            }
            StringBuilder items = new StringBuilder();
            for (String item : l.getValue()) {
                items.append(items.length() == 0 ? "" : ", ").append(item.indexOf(' ') >= 0 ? '"' + item + '"' : item);
            }
            StringBuilder sb = new StringBuilder();
            int from = 0;
            int at;
            while ((at = out.indexOf(name, from)) >= 0) {
                int end = at + name.length();
                boolean delimited = (at == 0 || DELIMITERS.indexOf(out.charAt(at - 1)) >= 0)
                        && (end == out.length() || DELIMITERS.indexOf(out.charAt(end)) >= 0);
                sb.append(out, from, at).append(delimited ? items : name);
                if (delimited) {
                    used.accept(name);
                }
                from = end;
            }
            out = sb.append(out.substring(from)).toString();
        }
        return out;
    }
}
