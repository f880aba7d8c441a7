package routes.sink;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import routes.schema.Column;
import routes.schema.TableSchema;

/**
 * The column-level differences between two definitions of one source table, as typed {@link SchemaChange}s, read
 * from the source itself (never from DDL text). Renames are given by the caller, from what the source says exactly (PostgreSQL's column numbers,
 * the MySQL binlog's statement); any other column gone is a drop, any other new one an add.
 */
public final class ColumnChanges {

    private ColumnChanges() {
    }

    /** True when the primary key's columns (names or order) differ. */
    public static boolean keyChanged(TableSchema before, TableSchema after) {
        return !before.primaryKey().equals(after.primaryKey());
    }

    /** {@code renames}: old name to new name, for the columns the source renamed. */
    public static List<SchemaChange> between(TableSchema before, TableSchema after, Map<String, String> renames) {
        routes.change.TableId table = before.id();
        List<SchemaChange> changes = new ArrayList<>();
        for (Column was : before.columns()) {
            Optional<Column> same = after.column(was.name());
            Optional<Column> renamed = Optional.ofNullable(renames.get(was.name())).flatMap(after::column)
                    .filter(c -> before.column(c.name()).isEmpty());
            if (same.isPresent()) {
                if (!same.get().equals(was)) {
                    changes.add(new SchemaChange.ChangeColumnType(table, was, same.get()));
                }
            } else if (renamed.isPresent()) {
                changes.add(new SchemaChange.RenameColumn(table, was, renamed.get()));
                if (!renamed.get().sourceType().equals(was.sourceType()) || renamed.get().nullable() != was.nullable()) {
                    changes.add(new SchemaChange.ChangeColumnType(table, new Column(renamed.get().name(), was.sourceType(), was.nullable()), renamed.get()));
                }
            } else {
                changes.add(new SchemaChange.DropColumn(table, was));
            }
        }
        for (Column column : after.columns()) {
            boolean renamedTo = changes.stream().anyMatch(c -> c instanceof SchemaChange.RenameColumn r && r.to().name().equals(column.name()));
            if (before.column(column.name()).isEmpty() && !renamedTo) {
                changes.add(new SchemaChange.AddColumn(table, column));
            }
        }
        return changes;
    }

    /**
     * Whether a table's first row in this run shows the definition the target reflects. Only the row's column names
     * and, where the source sends them (MySQL family), types tell: a PostgreSQL table's first row is compared with
     * the catalog, since a column's type may have changed while no row of the table was read.
     */
    public static boolean sameAsKnown(TableSchema known, RowStructure shown) {
        return known.columnNames().equals(shown.columns()) && shown.types() != null && shown.types().entrySet().stream()
                .allMatch(t -> known.column(t.getKey()).map(c -> c.sourceType().equalsIgnoreCase(t.getValue())).orElse(false));
    }

    /**
     * The table's definition as this row has it: the row's columns in its order, each typed as the source's catalog
     * has it now, or, when the catalog has moved on (changes in quick succession: the catalog can be ahead of the
     * rows), as the task knew it or as the row's own schema tells. Null when a column's type is known to none.
     */
    public static TableSchema definitionOfRow(TableSchema known, TableSchema catalog, List<String> rowColumns, Map<String, String> rowTypes) {
        List<Column> columns = new ArrayList<>();
        for (String name : rowColumns) {
            Optional<Column> column = catalog == null ? Optional.empty() : catalog.column(name);
            column = column.isPresent() ? column : known.column(name);
            if (column.isEmpty() && rowTypes.containsKey(name)) {
                column = Optional.of(new Column(name, rowTypes.get(name), true));
            }
            if (column.isEmpty()) {
                return null;
            }
            columns.add(column.get());
        }
        List<String> key = catalog != null && rowColumns.containsAll(catalog.primaryKey()) ? catalog.primaryKey() : known.primaryKey();
        return new TableSchema(known.id(), List.copyOf(columns), key, known.typeSystem());
    }

    /** A change as the source's ALTER TABLE statement would state it (the append log's ddl_sql). */
    static String statement(SchemaChange change) {
        String alter = "ALTER TABLE " + change.table() + " ";
        if (change instanceof SchemaChange.AddColumn added) {
            return alter + "ADD COLUMN " + added.column().name() + " " + added.column().sourceType();
        } else if (change instanceof SchemaChange.DropColumn dropped) {
            return alter + "DROP COLUMN " + dropped.column().name();
        } else if (change instanceof SchemaChange.RenameColumn renamed) {
            return alter + "RENAME COLUMN " + renamed.from().name() + " TO " + renamed.to().name();
        }
        SchemaChange.ChangeColumnType retyped = (SchemaChange.ChangeColumnType) change;
        return alter + "ALTER COLUMN " + retyped.to().name() + " TYPE " + retyped.to().sourceType();
    }
}
