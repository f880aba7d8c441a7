package routes.sink;

import routes.change.TableId;
import routes.schema.Column;

/**
 * A schema change of one source table, as every target receives it: typed, read from the source itself (the rows'
 * structure, the catalog, the binlog's table-level statements), never DDL text. The task's policy for its
 * {@link #kind()} decides whether a target applies it ({@link SchemaChangeDecisions}); each target translates the
 * ones it applies its own way.
 */
public sealed interface SchemaChange {

    /** The source table changed (for a rename, its old name). */
    TableId table();

    /** Which policy of the task's {@code schemaChanges} setting rules it. */
    SchemaChangePolicies.Kind kind();

    /** The change in words, for the log, alerts and a stopped task's reason. */
    String describe();

    record CreateTable(TableId table) implements SchemaChange {
        public SchemaChangePolicies.Kind kind() {
            return SchemaChangePolicies.Kind.CREATE_TABLE;
        }

        public String describe() {
            return "table " + table + " was created on the source";
        }
    }

    record AddColumn(TableId table, Column column) implements SchemaChange {
        public SchemaChangePolicies.Kind kind() {
            return SchemaChangePolicies.Kind.ADD_COLUMN;
        }

        public String describe() {
            return "column " + column.name() + " was added to " + table;
        }
    }

    record DropColumn(TableId table, Column column) implements SchemaChange {
        public SchemaChangePolicies.Kind kind() {
            return SchemaChangePolicies.Kind.DROP_COLUMN;
        }

        public String describe() {
            return "column " + column.name() + " was dropped from " + table;
        }
    }

    record RenameColumn(TableId table, Column from, Column to) implements SchemaChange {
        public SchemaChangePolicies.Kind kind() {
            return SchemaChangePolicies.Kind.RENAME_COLUMN;
        }

        public String describe() {
            return "column " + from.name() + " of " + table + " was renamed to " + to.name();
        }
    }

    /** The same column with another type or nullability. */
    record ChangeColumnType(TableId table, Column from, Column to) implements SchemaChange {
        public SchemaChangePolicies.Kind kind() {
            return SchemaChangePolicies.Kind.MODIFY_COLUMN_TYPE;
        }

        public String describe() {
            return "column " + to.name() + " of " + table + " changed type from " + from.sourceType() + " to " + to.sourceType();
        }
    }

    record TruncateTable(TableId table) implements SchemaChange {
        public SchemaChangePolicies.Kind kind() {
            return SchemaChangePolicies.Kind.TRUNCATE;
        }

        public String describe() {
            return "table " + table + " was truncated on the source";
        }
    }

    record DropTable(TableId table) implements SchemaChange {
        public SchemaChangePolicies.Kind kind() {
            return SchemaChangePolicies.Kind.DROP_TABLE;
        }

        public String describe() {
            return "table " + table + " was dropped on the source";
        }
    }

    record RenameTable(TableId table, TableId to) implements SchemaChange {
        public SchemaChangePolicies.Kind kind() {
            return SchemaChangePolicies.Kind.RENAME_TABLE;
        }

        public String describe() {
            return "table " + table + " was renamed to " + to + " on the source";
        }
    }
}
