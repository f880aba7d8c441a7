package routes.sink.dialect;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import routes.change.ChangeEvent;
import routes.change.TableId;
import routes.schema.Column;
import routes.schema.DataType;
import routes.schema.TableSchema;
import routes.schema.TypeSystem;
import routes.state.TableState;

/**
 * Everything a JDBC target needs that differs between databases: all SQL the writer runs comes from here, with
 * identifiers always quoted. One implementation per target family, found by {@link SqlDialects}.
 */
public interface SqlDialect {

    /** Quotes one identifier so that any name the source allows (reserved words, case, unicode, spaces) works. */
    String quote(String identifier);

    default String qualified(TableId table) {
        return quote(table.schema()) + "." + quote(table.table());
    }

    /**
     * Where tables go when the task names no target schema: empty keeps each source table's schema name (MySQL-family
     * targets answer with the database their JDBC URL names, when it names one).
     */
    default Optional<String> defaultTargetSchema(Connection connection) throws SQLException {
        return Optional.empty();
    }

    /** Creates the target table (and its schema) from the source's definition unless it exists. */
    void createTableIfMissing(Connection connection, TableId target, TableSchema source) throws SQLException;

    /** The target table's column names, or an empty list when it does not exist. */
    List<String> columnsOf(Connection connection, TableId target) throws SQLException;

    /** Removes every row (a full load starts again from nothing). */
    void truncate(Connection connection, TableId target) throws SQLException;

    /**
     * Inserts or replaces rows by primary key. Every row holds exactly {@code columns}; keys are unique in the list.
     */
    void upsert(Connection connection, TableId target, List<String> keyColumns, List<String> columns,
            List<Map<String, Object>> rows) throws SQLException;

    /** Deletes rows by primary key. */
    void delete(Connection connection, TableId target, List<String> keyColumns, List<Map<String, Object>> keys)
            throws SQLException;

    /** Creates our own state tables (offsets, table status) unless they exist. */
    void createStateTables(Connection connection) throws SQLException;

    /** The source positions this task committed together with its data (offset key -> offset value). */
    Map<String, String> loadOffsets(Connection connection, String task) throws SQLException;

    /** Saves source positions inside the caller's transaction. */
    void saveOffsets(Connection connection, String task, Map<String, String> offsets) throws SQLException;

    /**
     * Creates the table of leader epochs (after {@link #createStateTables}) unless it exists. A statement of its own:
     * on MariaDB/MySQL this DDL commits, and it waits for open transactions that read the table.
     */
    default void createLeaderEpochs(Connection connection) throws SQLException {
        Jdbc.execute(connection, "CREATE TABLE IF NOT EXISTS realtime_sync.leader_epochs (task VARCHAR(128) NOT NULL PRIMARY KEY, "
                + "epoch BIGINT NOT NULL)");
    }

    /**
     * Takes the lead of a task run under leader election (docs/scale-out.md), in the caller's transaction: the task's
     * leader epoch on this target goes one up, and the new epoch is returned. A deposed leader's commits then find an
     * epoch newer than its own ({@link #lockedLeaderEpoch}) and are refused. Called after {@link #createLeaderEpochs}.
     */
    default long takeLead(Connection connection, String task) throws SQLException {
        if (Jdbc.update(connection, "UPDATE realtime_sync.leader_epochs SET epoch = epoch + 1 WHERE task = ?", task) == 0) {
            Jdbc.update(connection, "INSERT INTO realtime_sync.leader_epochs (task, epoch) VALUES (?, 1)", task);
        }
        return Long.parseLong(Jdbc.strings(connection, "SELECT epoch FROM realtime_sync.leader_epochs WHERE task = ?",
                task).get(0));
    }

    /**
     * The task's leader epoch, its row locked until the caller's transaction ends: a commit that checks it holds off a
     * new leader's {@link #takeLead} until it is done, or sees the new epoch if that came first.
     */
    default long lockedLeaderEpoch(Connection connection, String task) throws SQLException {
        List<String> epoch = Jdbc.strings(connection, "SELECT epoch FROM realtime_sync.leader_epochs WHERE task = ? "
                + "FOR UPDATE", task);
        return epoch.isEmpty() ? 0 : Long.parseLong(epoch.get(0));
    }

    /** The task's schema history records, oldest first (empty when there are none). */
    List<String> loadSchemaHistory(Connection connection, String task) throws SQLException;

    /** Appends a schema history record inside the caller's transaction. */
    void appendSchemaHistory(Connection connection, String task, String record) throws SQLException;

    /** Forgets the task's schema history (its full load starts over). */
    void clearSchemaHistory(Connection connection, String task) throws SQLException;

    /** Records a table's status where operators can see it (e.g. skipped: no primary key). */
    void saveTableStatus(Connection connection, String task, TableId source, TableState status, String reason)
            throws SQLException;

    /** Sets every table of the task whose status is {@code from} to {@code to}, with the reason; nothing before the state tables exist. */
    void changeTableStatus(Connection connection, String task, TableState from, TableState to, String reason) throws SQLException;

    /** This task's table statuses (source table as schema.table -> status); empty before the state tables exist. */
    Map<String, String> loadTableStatus(Connection connection, String task) throws SQLException;

    /** Removes this task's state rows for tables no longer listed (keeps the table's own data). */
    void forgetTableStatus(Connection connection, String task, Collection<TableId> keep) throws SQLException;

    /** True when retrying on a new connection may succeed (connection lost, server restarting, deadlock). */
    boolean isTransient(SQLException error);

    /**
     * True when the target refused the data itself (a constraint, a value too long or out of range, a conversion):
     * the row is dirty, the target is fine, and the other rows of its batch can still be written.
     */
    boolean isDataError(SQLException error);

    /**
     * A batch's changes as this target writes them, given the source table they come from; by default as captured.
     * A target can leave out values the capture could not carry, so that its own stay.
     */
    default List<ChangeEvent> asWritten(List<ChangeEvent> changes, TableSchema source) {
        return changes;
    }

    /**
     * True when a data error leaves the open transaction as it was, because the dialect checks rows before it writes
     * any (DuckDB, which has no savepoints): refused rows are then isolated without a savepoint.
     */
    default boolean refusesBeforeWriting() {
        return false;
    }

    /**
     * Called after a rollback to a savepoint: session objects the dialect created since then (PostgreSQL's staging
     * tables) are gone.
     */
    default void rolledBack() {
    }

    /** Saves, in the caller's transaction, the source table definition the target now reflects (JSON). */
    void saveTableDefinition(Connection connection, String task, TableId source, String definition) throws SQLException;

    /** The task's saved table definitions (source table as schema.table -> JSON); empty before there are any. */
    Map<String, String> loadTableDefinitions(Connection connection, String task) throws SQLException;

    /** Records a row the target refused, in the caller's transaction; key and row are JSON objects. */
    void saveDirtyRow(Connection connection, String task, TableId source, TableId target, String operation, String key,
            String row, String error) throws SQLException;

    /** How many refused rows this task has recorded (0 before the state tables exist). */
    long countDirtyRows(Connection connection, String task) throws SQLException;

    /** The column type this dialect creates on the target for a source column type (overrides included). */
    String targetType(DataType type);

    /** The column type this dialect creates on the target for a source column (overrides included). */
    default String targetType(Column column, TypeSystem source) {
        return targetType(source.read(column.sourceType()));
    }

    /** Adds a nullable column (existing rows hold NULL). */
    default void addColumn(Connection connection, TableId target, String column, String type) throws SQLException {
        addColumn(connection, target, column, type, null);
    }

    /**
     * Adds a nullable column whose existing rows take {@code fill}, the source's text of the value its own rows took
     * (a constant default; null: NULL). The target column keeps no default: every row written later carries its
     * value. Nothing happens when the column exists (a replay).
     */
    void addColumn(Connection connection, TableId target, String column, String type, String fill) throws SQLException;

    void dropColumn(Connection connection, TableId target, String column) throws SQLException;

    void renameColumn(Connection connection, TableId target, String from, String to) throws SQLException;

    /** Changes a column to a wider type; {@code nullable} is the column's new nullability. */
    void changeColumnType(Connection connection, TableId target, String column, String type, boolean nullable)
            throws SQLException;

    /** Lets a column hold NULL, so that rows written after the source dropped it can leave it empty. */
    void dropNotNull(Connection connection, TableId target, String column, String type) throws SQLException;

    void dropTable(Connection connection, TableId target) throws SQLException;

    /**
     * Replaces every row of {@code target} with the rows of {@code from} (same columns), in the open transaction: readers
     * see the old rows until it commits, and the table keeps its grants, views and other dependants.
     */
    default void overwrite(Connection connection, TableId target, TableId from, List<String> columns) throws SQLException {
        String list = columns.stream().map(this::quote).collect(Collectors.joining(", "));
        Jdbc.execute(connection, "DELETE FROM " + qualified(target),
                "INSERT INTO " + qualified(target) + " (" + list + ") SELECT " + list + " FROM " + qualified(from));
    }

    /**
     * Puts {@code staging} (a table rebuilt with the structure {@code shape}, holding {@code columns}) in the place of
     * {@code target}, in the open transaction: readers see the old table until it commits. The old table's grants,
     * views and other dependants do not carry over. Here: the target made anew and filled from the staging table.
     */
    default void replaceTable(Connection connection, TableId target, TableId staging, TableSchema shape, List<String> columns)
            throws SQLException {
        dropTable(connection, target);
        createTableIfMissing(connection, target, shape);
        String list = columns.stream().map(this::quote).collect(Collectors.joining(", "));
        Jdbc.execute(connection, "INSERT INTO " + qualified(target) + " (" + list + ") SELECT " + list + " FROM " + qualified(staging));
    }

    /**
     * Merges the rows of {@code from} (same columns) into {@code target} by its key columns, in the open transaction:
     * target rows with a key {@code from} holds take its values, the others stay.
     */
    default void mergeFrom(Connection connection, TableId target, TableId from, List<String> columns, List<String> keyColumns)
            throws SQLException {
        String list = columns.stream().map(this::quote).collect(Collectors.joining(", "));
        String sameKey = keyColumns.stream().map(k -> qualified(from) + "." + quote(k) + " = " + qualified(target) + "." + quote(k))
                .collect(Collectors.joining(" AND "));
        Jdbc.execute(connection, "DELETE FROM " + qualified(target) + " WHERE EXISTS (SELECT 1 FROM " + qualified(from) + " WHERE " + sameKey + ")",
                "INSERT INTO " + qualified(target) + " (" + list + ") SELECT " + list + " FROM " + qualified(from));
    }

    /**
     * The largest value of a numeric column (the append log's sequence_id) in {@code [atLeast, below)}; a null bound
     * is no bound. Null when no row has one.
     */
    default BigDecimal maxOf(Connection connection, TableId target, String column, BigDecimal atLeast, BigDecimal below)
            throws SQLException {
        String where = (atLeast == null ? "" : " AND " + quote(column) + " >= ?") + (below == null ? "" : " AND " + quote(column) + " < ?");
        try (PreparedStatement s = connection.prepareStatement("SELECT max(" + quote(column) + ") FROM " + qualified(target)
                + (where.isEmpty() ? "" : " WHERE" + where.substring(4)))) {
            int at = 1;
            if (atLeast != null) {
                s.setBigDecimal(at++, atLeast);
            }
            if (below != null) {
                s.setBigDecimal(at, below);
            }
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getBigDecimal(1) : null;
            }
        }
    }

    /** Whether a row holds one of {@code values} in the column (the append log's sequence_id). */
    default boolean holdsAny(Connection connection, TableId target, String column, List<BigDecimal> values) throws SQLException {
        String marks = String.join(", ", java.util.Collections.nCopies(values.size(), "?"));
        try (PreparedStatement s = connection.prepareStatement("SELECT 1 FROM " + qualified(target) + " WHERE " + quote(column)
                + " IN (" + marks + ")")) {
            for (int i = 0; i < values.size(); i++) {
                s.setBigDecimal(i + 1, values.get(i));
            }
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Renames (and if need be moves) a table; nothing happens when it was renamed already. */
    void renameTable(Connection connection, TableId from, TableId to) throws SQLException;
}
