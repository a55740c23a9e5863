package dev.piccolo.engine;

import java.util.Locale;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Recognises, from a statement's text, SQL that leaves state in the server session beyond its
 * transaction: {@code SET} (not {@code SET LOCAL}, {@code SET TRANSACTION} or {@code SET CONSTRAINTS}),
 * {@code RESET}, {@code LISTEN}, SQL {@code PREPARE}, {@code DECLARE ... WITH HOLD}, temporary tables
 * ({@code CREATE TEMP ...}, {@code CREATE TABLE pg_temp.t}, {@code SELECT ... INTO TEMP}), {@code LOAD},
 * {@code set_config} unless its {@code is_local} is the word {@code true} (a literal or a parameter may be
 * false), and the session-level advisory lock functions. One pass over the text, skipping literals
 * ({@code E'...'} with its backslash escapes), quoted identifiers and comments; no allocation unless
 * something is found.
 *
 * <p>It is the cheap half of the detection: what a server function does inside is invisible here, and
 * {@link SessionStateCheck} asks the server at the one moment it matters, before a swap.
 */
final class SessionStateSql {

    private static final Set<String> SESSION_LOCK_FUNCTIONS = Set.of("pg_advisory_lock", "pg_advisory_lock_shared",
            "pg_try_advisory_lock", "pg_try_advisory_lock_shared");

    private static final int SHORTEST_LOCK_FUNCTION = "pg_advisory_lock".length();

    private static final String SET_CONFIG = "set_config(..., false)";

    /** Words before {@code TEMP} that make it a temporary object: CREATE [OR REPLACE | GLOBAL | LOCAL]. */
    private static final Set<String> TEMP_INTRODUCERS = Set.of("CREATE", "REPLACE", "GLOBAL", "LOCAL");

    private final String sql;

    private int position;

    private SessionStateSql(String sql) {
        this.sql = sql;
    }

    /**
     * Returns what {@code sql} leaves in the session, or {@code null} when it leaves nothing there.
     *
     * @param sql one or more statements, as given to the driver
     * @return a short description such as {@code "SET"}, for logs and errors
     */
    static @Nullable String stateSetBy(@Nullable String sql) {
        return sql == null ? null : new SessionStateSql(sql).scan();
    }

    private @Nullable String scan() {
        int wordInStatement = 0;
        String first = null;
        String previous = null;
        String beforePrevious = null;
        boolean withHold = false;
        while (true) {
            String word = nextWordOrSemicolon();
            if (word == null || word.equals(";")) {
                String found = statementState(first, withHold);
                if (found != null || word == null) {
                    return found;
                }
                wordInStatement = 0;
                first = null;
                previous = null;
                beforePrevious = null;
                withHold = false;
                continue;
            }
            if (word.length() >= SHORTEST_LOCK_FUNCTION && SESSION_LOCK_FUNCTIONS.contains(word.toLowerCase(Locale.ROOT))) {
                return "an advisory lock";
            }
            if ((isWord(previous, "TEMP") || isWord(previous, "TEMPORARY")) && beforePrevious != null
                    && (TEMP_INTRODUCERS.contains(beforePrevious.toUpperCase(Locale.ROOT))
                            || isWord(beforePrevious, "INTO") && (isWord(first, "SELECT") || isWord(first, "WITH")))
                    || isWord(word, "pg_temp") && (isWord(first, "CREATE") || isWord(previous, "INTO"))) {
                return "a temporary table";
            }
            if (wordInStatement == 1) {
                if (isWord(first, "SET") && !isWord(word, "LOCAL") && !isWord(word, "TRANSACTION")
                        && !isWord(word, "CONSTRAINTS")) {
                    return "SET";
                }
                if (isWord(first, "PREPARE") && !isWord(word, "TRANSACTION")) {
                    return "a prepared statement (PREPARE)";
                }
            }
            if (isWord(word, "set_config") && !setConfigIsLocal()) {
                return SET_CONFIG;
            }
            withHold |= previous != null && isWord(previous, "WITH") && isWord(word, "HOLD");
            if (wordInStatement == 0) {
                first = word;
            }
            beforePrevious = previous;
            previous = word;
            wordInStatement++;
        }
    }

    private static @Nullable String statementState(@Nullable String first, boolean withHold) {
        if (first == null) {
            return null;
        }
        if (isWord(first, "RESET")) {
            return "RESET";
        }
        if (isWord(first, "LISTEN")) {
            return "LISTEN";
        }
        if (isWord(first, "LOAD")) {
            return "LOAD";
        }
        if (isWord(first, "DECLARE") && withHold) {
            return "a cursor WITH HOLD";
        }
        return null;
    }

    private static boolean isWord(@Nullable String word, String keyword) {
        return word != null && word.equalsIgnoreCase(keyword);
    }

    /** The next word or {@code ;}, skipping white space, comments, literals and quoted identifiers. */
    private @Nullable String nextWordOrSemicolon() {
        int length = sql.length();
        while (position < length) {
            char c = sql.charAt(position);
            if (c == ';') {
                position++;
                return ";";
            }
            if (Character.isLetter(c) || c == '_') {
                int start = position;
                while (position < length && isWordPart(sql.charAt(position))) {
                    position++;
                }
                return sql.substring(start, position);
            }
            skipLiteralOrComment(c);
        }
        return null;
    }

    /**
     * Reads the arguments of the {@code set_config} call that follows: whether its third, {@code is_local},
     * is the word {@code true}. Anything else (false, a literal, a parameter, an expression) may set the
     * session, so it counts as doing so.
     */
    private boolean setConfigIsLocal() {
        int length = sql.length();
        while (position < length && Character.isWhitespace(sql.charAt(position))) {
            position++;
        }
        if (position >= length || sql.charAt(position) != '(') {
            return false;
        }
        position++;
        int depth = 1;
        int commas = 0;
        int third = -1;
        while (position < length) {
            char c = sql.charAt(position);
            if (c == '\'' || c == '"' || c == '$' || c == '-' || c == '/') {
                skipLiteralOrComment(c);
                continue;
            }
            if (c == '(') {
                depth++;
            }
            else if (c == ')' && --depth == 0) {
                boolean local = third >= 0 && sql.substring(third, position).strip().equalsIgnoreCase("true");
                position++;
                return local;
            }
            else if (c == ',' && depth == 1 && ++commas == 2) {
                third = position + 1;
            }
            position++;
        }
        return false;
    }

    /** Skips the literal, quoted identifier or comment that may start at {@code position}, else one character. */
    private void skipLiteralOrComment(char c) {
        if (c == '-' && sql.startsWith("--", position)) {
            int end = sql.indexOf('\n', position);
            position = end < 0 ? sql.length() : end + 1;
        }
        else if (c == '/' && sql.startsWith("/*", position)) {
            int end = sql.indexOf("*/", position + 2);
            position = end < 0 ? sql.length() : end + 2;
        }
        else if (c == '\'' && escapeString()) {
            skipEscapeString();
        }
        else if (c == '\'' || c == '"') {
            int end = sql.indexOf(c, position + 1);
            position = end < 0 ? sql.length() : end + 1;
        }
        else if (c == '$') {
            skipDollarQuoted();
        }
        else {
            position++;
        }
    }

    /** Whether the quote at {@code position} opens {@code E'...'}, where a backslash escapes a quote. */
    private boolean escapeString() {
        return position > 0 && (sql.charAt(position - 1) == 'E' || sql.charAt(position - 1) == 'e')
                && (position == 1 || !isWordPart(sql.charAt(position - 2)));
    }

    private void skipEscapeString() {
        int length = sql.length();
        position++;
        while (position < length) {
            char c = sql.charAt(position++);
            if (c == '\\') {
                position++;
            }
            else if (c == '\'') {
                if (position < length && sql.charAt(position) == '\'') {
                    position++;
                }
                else {
                    return;
                }
            }
        }
    }

    /** Skips {@code $tag$...$tag$} (a function body, say), or a lone {@code $1} parameter. */
    private void skipDollarQuoted() {
        int tagEnd = sql.indexOf('$', position + 1);
        if (tagEnd < 0) {
            position++;
            return;
        }
        String tag = sql.substring(position, tagEnd + 1);
        for (int i = 1; i < tag.length() - 1; i++) {
            if (!isWordPart(tag.charAt(i)) || Character.isDigit(tag.charAt(1))) {
                position++;
                return;
            }
        }
        int end = sql.indexOf(tag, tagEnd + 1);
        position = end < 0 ? sql.length() : end + tag.length();
    }

    private static boolean isWordPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
