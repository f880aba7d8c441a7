package routes.sink;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import routes.change.TableId;

/**
 * Recognises the statements of a MySQL-family binlog whose meaning no row shows: TRUNCATE, DROP TABLE, RENAME
 * TABLE (or ALTER TABLE ... RENAME TO), and column renames (ALTER TABLE ... RENAME COLUMN a TO b, CHANGE a b ...),
 * which rows alone cannot tell from a drop and an add. Only the names they carry are read; the target's own
 * statement is built by its dialect. Anything else (other column changes, which the rows show) is not recognised.
 */
public final class TableStatements {

    public enum Kind { TRUNCATE, DROP, RENAME, RENAME_COLUMNS }

    /**
     * For RENAME, {@code tables} holds pairs: old name, new name, old name, new name... For RENAME_COLUMNS, the one
     * altered table, and {@code columns} the pairs old column name, new column name.
     */
    public record Statement(Kind kind, List<TableId> tables, List<String> columns) {

        Statement(Kind kind, List<TableId> tables) {
            this(kind, tables, List.of());
        }

        /** The table-level changes it makes, typed (none for RENAME_COLUMNS, whose rows show the change). */
        public List<SchemaChange> changes() {
            List<SchemaChange> changes = new ArrayList<>();
            switch (kind) {
                case TRUNCATE -> changes.add(new SchemaChange.TruncateTable(tables.get(0)));
                case DROP -> tables.forEach(t -> changes.add(new SchemaChange.DropTable(t)));
                case RENAME -> {
                    for (int i = 0; i < tables.size(); i += 2) {
                        changes.add(new SchemaChange.RenameTable(tables.get(i), tables.get(i + 1)));
                    }
                }
                default -> {
                }
            }
            return changes;
        }
    }

    private final String text;
    private final String database;
    private int at;

    private TableStatements(String text, String database) {
        this.text = text;
        this.database = database;
    }

    /** The statement of a schema change event, its unqualified names in the database the event's source information names. */
    public static Optional<Statement> parse(String ddl, Map<String, Object> sourceInfo) {
        Object database = sourceInfo == null ? null : sourceInfo.get("db");
        return parse(ddl, database == null ? "" : database.toString());
    }

    public static Optional<Statement> parse(String ddl, String database) {
        if (ddl == null) {
            return Optional.empty();
        }
        try {
            return new TableStatements(ddl, database).statement();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Optional<Statement> statement() {
        skipComments();
        if (word("TRUNCATE")) {
            word("TABLE");
            return end(new Statement(Kind.TRUNCATE, List.of(name())));
        }
        if (word("DROP")) {
            word("TEMPORARY");
            if (!word("TABLE")) {
                return Optional.empty();
            }
            if (word("IF")) {
                expect("EXISTS");
            }
            List<TableId> names = new ArrayList<>(List.of(name()));
            while (symbol(',')) {
                names.add(name());
            }
            word("RESTRICT");
            word("CASCADE");
            return end(new Statement(Kind.DROP, names));
        }
        if (word("RENAME")) {
            if (!word("TABLE")) {
                return Optional.empty();
            }
            List<TableId> pairs = new ArrayList<>();
            do {
                pairs.add(name());
                expect("TO");
                pairs.add(name());
            } while (symbol(','));
            return end(new Statement(Kind.RENAME, pairs));
        }
        if (word("ALTER")) {
            if (!word("TABLE")) {
                return Optional.empty();
            }
            TableId from = name();
            int clauses = at;
            Optional<Statement> columns = columnRenames(from);
            if (columns.isPresent()) {
                return columns;
            }
            at = clauses;
            if (!word("RENAME")) {
                return Optional.empty();
            }
            if (!word("TO")) {
                word("AS");
            }
            if (peekWord("COLUMN") || peekWord("INDEX") || peekWord("KEY")) {
                return Optional.empty();
            }
            TableId to = name();
            return end(new Statement(Kind.RENAME, List.of(from, to)));
        }
        return Optional.empty();
    }

    /**
     * The column renames among an ALTER TABLE's clauses (RENAME COLUMN a TO b; CHANGE [COLUMN] a b definition), the
     * other clauses skipped; empty when there is none.
     */
    private Optional<Statement> columnRenames(TableId table) {
        List<String> pairs = new ArrayList<>();
        while (at < text.length()) {
            if (word("RENAME") && word("COLUMN")) {
                String from = identifier();
                expect("TO");
                pairs.add(from);
                pairs.add(identifier());
            } else if (word("CHANGE")) {
                word("COLUMN");
                if (word("IF")) {
                    expect("EXISTS");
                }
                pairs.add(identifier());
                pairs.add(identifier());
            }
            skipClause();
        }
        return pairs.isEmpty() ? Optional.empty() : Optional.of(new Statement(Kind.RENAME_COLUMNS, List.of(table), List.copyOf(pairs)));
    }

    /** Skips to just after the next comma outside parentheses, quotes and backquotes (or to the end). */
    private void skipClause() {
        int depth = 0;
        while (at < text.length()) {
            char c = text.charAt(at++);
            if (c == '`' || c == '\'' || c == '"') {
                int close = text.indexOf(c, at);
                at = close < 0 ? text.length() : close + 1;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                return;
            }
        }
    }

    /** The statement must end here: ALTER TABLE t RENAME TO u, ADD COLUMN ... is not a plain rename. */
    private Optional<Statement> end(Statement statement) {
        skipComments();
        symbol(';');
        skipComments();
        return at >= text.length() ? Optional.of(statement) : Optional.empty();
    }

    private TableId name() {
        String first = identifier();
        if (symbol('.')) {
            return new TableId(first, identifier());
        }
        return new TableId(database, first);
    }

    private String identifier() {
        skipSpace();
        if (at < text.length() && text.charAt(at) == '`') {
            StringBuilder out = new StringBuilder();
            at++;
            while (at < text.length()) {
                char c = text.charAt(at++);
                if (c == '`') {
                    if (at < text.length() && text.charAt(at) == '`') {
                        out.append('`');
                        at++;
                    } else {
                        return out.toString();
                    }
                } else {
                    out.append(c);
                }
            }
            throw new IllegalArgumentException("unterminated identifier");
        }
        int start = at;
        while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_' || text.charAt(at) == '$')) {
            at++;
        }
        if (start == at) {
            throw new IllegalArgumentException("identifier expected");
        }
        return text.substring(start, at);
    }

    private boolean word(String keyword) {
        if (peekWord(keyword)) {
            at += keyword.length();
            return true;
        }
        return false;
    }

    private boolean peekWord(String keyword) {
        skipSpace();
        int end = at + keyword.length();
        return end <= text.length() && text.substring(at, end).toUpperCase(Locale.ROOT).equals(keyword)
                && (end == text.length() || !Character.isLetterOrDigit(text.charAt(end)) && text.charAt(end) != '_');
    }

    private void expect(String keyword) {
        if (!word(keyword)) {
            throw new IllegalArgumentException(keyword + " expected");
        }
    }

    private boolean symbol(char c) {
        skipSpace();
        if (at < text.length() && text.charAt(at) == c) {
            at++;
            return true;
        }
        return false;
    }

    private void skipSpace() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }

    /** Debezium passes statements as written; a leading comment (e.g. from a migration tool) is not the statement. */
    private void skipComments() {
        skipSpace();
        while (text.startsWith("/*", at)) {
            int end = text.indexOf("*/", at);
            at = end < 0 ? text.length() : end + 2;
            skipSpace();
        }
    }
}
