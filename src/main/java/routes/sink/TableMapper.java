package routes.sink;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import routes.capture.SourceDatabase;
import routes.change.TableId;
import routes.ops.TaskProblem;
import routes.schema.Column;
import routes.schema.TableSchema;

/**
 * Decides where each source table goes. In mirror mode every target table has exactly one source table; in merge
 * mode the tables whose names map to one target (sharded {@code shop_0..N.orders_0..M} into one {@code orders}) share
 * it: the target gets the union of their columns, and identity columns (source data source, database, schema or
 * table name) join the primary key so that equal keys from different shards never collide. Every target table also
 * gets the task's assigned columns (see {@link ValueAssignments}) after the source's own.
 */
final class TableMapper {

    /** Where one source table's rows go, and the identity values its rows carry there. */
    record SourceMapping(TableId target, Map<String, Object> identity) {
    }

    /** Target tables to create (with their definition) and every source table's mapping. */
    record Plan(Map<TableId, TableSchema> targets, Map<TableId, SourceMapping> sources) {
    }

    /** Identity column names and the naming variable each one holds. */
    private static final Map<String, String> IDENTITY = Map.of("source_datasource_name", TargetNaming.DATASOURCE,
            "source_database_name", TargetNaming.DATABASE, "source_schema_name", TargetNaming.SCHEMA,
            "source_table_name", TargetNaming.TABLE);

    private final TargetNaming naming;
    private final boolean merge;
    private final List<String> identityColumns;
    private final String targetSchema;
    private final String sourceName;
    private final List<Column> assignedColumns;

    TableMapper(String targetTable, String mode, String identityColumns, String targetSchema, String sourceName,
            List<Column> assignedColumns) {
        this.naming = new TargetNaming(targetTable);
        String m = mode == null || mode.isBlank() ? "mirror" : mode.toLowerCase(Locale.ROOT);
        if (!m.equals("mirror") && !m.equals("merge")) {
            throw new TaskProblem("The sink mode '" + mode + "' does not exist: use mirror or merge.");
        }
        this.merge = m.equals("merge");
        this.identityColumns = identityColumns == null || identityColumns.isBlank() ? List.of()
                : Arrays.stream(identityColumns.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String column : this.identityColumns) {
            if (!IDENTITY.containsKey(column)) {
                throw new TaskProblem("Identity column '" + column + "' does not exist: use " + String.join(", ", IDENTITY.keySet()) + ".");
            }
        }
        this.targetSchema = targetSchema;
        this.sourceName = sourceName;
        this.assignedColumns = List.copyOf(assignedColumns);
    }

    boolean merges() {
        return merge;
    }

    /** Plans the given tables (all with a primary key); {@code defaultSchema} is the dialect's, when it has one. */
    Plan plan(List<TableSchema> tables, SourceDatabase source, Optional<String> defaultSchema) {
        Map<TableId, List<TableSchema>> byTarget = new LinkedHashMap<>();
        Map<TableId, SourceMapping> sources = new LinkedHashMap<>();
        for (TableSchema table : tables) {
            Map<String, String> variables = variables(table.id(), source);
            String schema = targetSchema == null || targetSchema.isBlank() ? defaultSchema.orElse(table.id().schema()) : targetSchema;
            TableId target = new TableId(schema, naming.apply(variables));
            byTarget.computeIfAbsent(target, t -> new ArrayList<>()).add(table);
            Map<String, Object> identity = new LinkedHashMap<>();
            for (String column : identityColumns) {
                identity.put(column, variables.get(IDENTITY.get(column)));
            }
            sources.put(table.id(), new SourceMapping(target, identity));
        }
        Map<TableId, TableSchema> targets = new LinkedHashMap<>();
        byTarget.forEach((target, group) -> targets.put(target, merged(target, group)));
        return new Plan(targets, sources);
    }

    private Map<String, String> variables(TableId table, SourceDatabase source) {
        return Map.of(TargetNaming.DATASOURCE, sourceName, TargetNaming.DATABASE, source.databaseOf(table),
                TargetNaming.SCHEMA, table.schema(), TargetNaming.TABLE, table.table());
    }

    private TableSchema merged(TableId target, List<TableSchema> group) {
        if (group.size() > 1 && !merge) {
            throw new TaskProblem("Source tables " + group.stream().map(t -> t.id().toString()).collect(Collectors.joining(", "))
                    + " all map to target table " + target + ": in mirror mode each target table has one source table. "
                    + "Give them distinct names (targetTable rule) or use mode merge to merge them.");
        }
        TableSchema first = group.get(0);
        Map<String, Column> columns = new LinkedHashMap<>();
        for (String identity : identityColumns) {
            // Names are at most 64 characters on MySQL and 63 bytes on PostgreSQL; 128 leaves room for a data source
            // name while four identity columns still fit MySQL's 3072-byte key.
            String type = TableSchema.MYSQL.equals(first.typeSystem()) ? "varchar(128)" : "character varying(128)";
            columns.put(identity, new Column(identity, type, false));
        }
        for (TableSchema table : group) {
            if (!table.primaryKey().equals(first.primaryKey())) {
                throw new TaskProblem("Source tables " + first.id() + " and " + table.id() + " merge into " + target
                        + " but have different primary keys " + first.primaryKey() + " and " + table.primaryKey() + ".");
            }
            for (Column column : table.columns()) {
                // The union of the shards' columns; a column missing from a shard is NULL in its rows.
                columns.putIfAbsent(column.name(), group.size() > 1 ? new Column(column.name(), column.sourceType(), true) : column);
            }
        }
        for (Column assigned : assignedColumns) {
            if (columns.putIfAbsent(assigned.name(), assigned) != null) {
                throw new TaskProblem("Assigned column '" + assigned.name() + "' is already a column of target table " + target
                        + "; give the assignment another name.");
            }
        }
        List<String> key = new ArrayList<>(identityColumns);
        key.addAll(first.primaryKey());
        return new TableSchema(target, List.copyOf(columns.values()), List.copyOf(key), first.typeSystem());
    }
}
