package routes.sink.dialect;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.RawValue;

import routes.capture.DebeziumValues.BitString;
import routes.capture.DebeziumValues.JsonText;
import routes.change.ChangeEvent;
import routes.change.TableId;
import routes.schema.Column;
import routes.schema.DataType;
import routes.schema.MySqlTypes;
import routes.schema.TableSchema;
import routes.schema.TypeOverrides;
import routes.sink.TargetConnections;
import routes.state.TableState;

/**
 * MariaDB and MySQL (through the MariaDB driver). Rows go in with multi-row INSERT ... ON DUPLICATE KEY UPDATE,
 * deletes match key tuples with IN; schemas are databases. Two things differ from PostgreSQL and matter here: every
 * DDL statement commits the open transaction first, and a session's time zone and SQL mode decide how values land,
 * so the dialect sets both on each connection it is handed.
 */
public class MariaDbDialect implements SqlDialect {

    private static final String STATE_DATABASE = "realtime_sync";
    /** InnoDB for transactions; binary collation so that keys differing only in case or accents stay distinct. */
    private static final String TABLE_OPTIONS = "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";

    /** The most placeholders one statement may carry (MySQL's limit for prepared statements). */
    private static final int MAX_PARAMETERS = 65_535;
    /** Estimated statement size we stay under, well below the smallest default max_allowed_packet (4 MiB, MySQL 5.7). */
    private static final int MAX_STATEMENT_BYTES = 2 << 20;
    /** Keys per DELETE: long IN lists make the range optimizer give up and scan the table. */
    private static final int MAX_KEYS_PER_DELETE = 1000;
    /** InnoDB's limit for one index key, in bytes; utf8mb4 counts 4 per character. */
    private static final int MAX_KEY_BYTES = 3072;
    private static final Pattern UNINDEXABLE = Pattern.compile("(?i)(tiny|medium|long)?(text|blob)|json");
    private static final Pattern SIZED = Pattern.compile("(?i)(?:var)?(char|binary)\\((\\d+)\\).*");
    /** MySQL error codes worth a retry: deadlock, lock wait timeout, server gone away, connection lost. */
    private static final Set<Integer> TRANSIENT_ERRORS = Set.of(1213, 1205, 2006, 2013);
    /**
     * MySQL error codes for data the server refused: NULL into NOT NULL, duplicate key, out of range, truncated,
     * bad date, bad string value, too long, bad foreign key, bad JSON, CHECK constraint.
     */
    private static final Set<Integer> DATA_ERRORS = Set.of(1048, 1062, 1264, 1265, 1292, 1366, 1367, 1406, 1411, 1451, 1452,
            1690, 3140, 4025);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Column types that hold text: values of PostgreSQL types MySQL lacks go there as PostgreSQL writes them. */
    private static final Set<String> TEXT_TYPES = Set.of("char", "varchar", "tinytext", "text", "mediumtext", "longtext");
    private static final Pattern BIT_DIGITS = Pattern.compile("[01]+");

    /** The connection whose session is set up (the writer uses one at a time and replaces it when it is lost). */
    private Connection sessionReady;
    /** The session's sql_mode, and the same without strict mode for rows carrying an ENUM's error value. */
    private String strictMode;
    private String lenientMode;
    private final Map<TableId, Map<String, String>> targetTypes = new HashMap<>();
    /** Per target table, the NOT NULL columns without a default, which an INSERT in strict mode must name. */
    private final Map<TableId, Set<String>> requiredColumns = new HashMap<>();
    private TypeOverrides overrides = TypeOverrides.NONE;

    /**
     * The dialect for a target URL. Targets are written through MariaDB's driver (routes.sink.TargetConnections), which
     * takes jdbc:mysql: URLs only when they carry permitMysqlScheme, so say that before anything starts.
     */
    static MariaDbDialect forUrl(String jdbcUrl) {
        if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:mysql:") && !TargetConnections.acceptsMySqlScheme(jdbcUrl)) {
            throw new IllegalArgumentException(TargetConnections.NO_MYSQL_SCHEME);
        }
        return new MariaDbDialect();
    }

    /** Zero dates a MySQL-family source held, which the capture hid, stay as the target has them. */
    @Override
    public List<ChangeEvent> asWritten(List<ChangeEvent> changes, TableSchema source) {
        return HiddenZeroDates.keepTargetValues(changes, source);
    }

    @Override
    public String quote(String identifier) {
        return '`' + identifier.replace("`", "``") + '`';
    }

    @Override
    public Optional<String> defaultTargetSchema(Connection connection) throws SQLException {
        String database = connection.getCatalog();
        return database == null || database.isEmpty() ? Optional.empty() : Optional.of(database);
    }

    /**
     * Sets the session up once per connection: time zone UTC, because TIMESTAMP columns convert from the session's
     * zone (we bind UTC) and the state tables' times come from it; strict mode, so a value that does not fit fails
     * instead of being truncated with a warning; no silent fallback to a non-transactional engine; and zero dates
     * (0000-00-00, a zero month or day) allowed, as a MySQL-family source holds them and mariadb-dump's session
     * writes them.
     */
    private void prepareSession(Connection connection) throws SQLException {
        if (connection == sessionReady) {
            return;
        }
        String mode = Jdbc.strings(connection, "SELECT @@SESSION.sql_mode").get(0);
        strictMode = sqlMode(mode, List.of("STRICT_ALL_TABLES", "NO_ENGINE_SUBSTITUTION"), Set.of("NO_ZERO_DATE", "NO_ZERO_IN_DATE"));
        lenientMode = sqlMode(strictMode, List.of(), Set.of("STRICT_ALL_TABLES", "STRICT_TRANS_TABLES"));
        Jdbc.update(connection, "SET time_zone = '+00:00', sql_mode = ?", strictMode);
        // As on PostgreSQL, each statement sees what is committed when it starts: under REPEATABLE READ a transaction
        // that took its read view before a reload's staging table was created fails on it ("Table definition has
        // changed, please retry transaction"). Applies from the next transaction on.
        connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        sessionReady = connection;
    }

    /** An sql_mode value with {@code added} and without {@code removed}. */
    static String sqlMode(String mode, List<String> added, Set<String> removed) {
        Set<String> modes = new LinkedHashSet<>();
        for (String m : mode.split(",")) {
            if (!m.isBlank()) {
                modes.add(m.trim().toUpperCase(Locale.ROOT));
            }
        }
        modes.addAll(added);
        modes.removeAll(removed);
        return String.join(",", modes);
    }

    /**
     * Creates the database and table unless the table exists. MySQL commits the open transaction before any DDL, even
     * CREATE ... IF NOT EXISTS, so for a source table first seen mid-stream the changes applied since the last commit
     * become durable ahead of their source position. A crash before the next commit replays them from the saved
     * position, which ends in the same rows (writes are upserts and deletes by key); checking first keeps that to the
     * one moment a table really is created.
     */
    @Override
    public void createTableIfMissing(Connection connection, TableId target, TableSchema source) throws SQLException {
        if (!columnsOf(connection, target).isEmpty()) {
            return;
        }
        prepareSession(connection);
        Map<String, String> types = columnTypes(source);
        StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(qualified(target)).append(" (");
        for (Column column : source.columns()) {
            sql.append(quote(column.name())).append(' ').append(types.get(column.name()));
            if (!column.nullable()) {
                sql.append(" NOT NULL");
            }
            sql.append(", ");
        }
        sql.append("PRIMARY KEY (").append(quotedList(source.primaryKey())).append(")) ").append(TABLE_OPTIONS);
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE IF NOT EXISTS " + quote(target.schema()) + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
            statement.execute(sql.toString());
        }
    }

    /**
     * MySQL-family sources keep their exact COLUMN_TYPE; other families' types are mapped. InnoDB indexes no TEXT/BLOB
     * column whole, so key columns of those types become VARCHAR/VARBINARY sharing what the other key columns leave of
     * the 3072-byte key (a text key on its own: VARCHAR(768)); a longer value then fails, it is never cut.
     */
    private Map<String, String> columnTypes(TableSchema source) {
        Map<String, String> types = new LinkedHashMap<>();
        for (Column column : source.columns()) {
            types.put(column.name(), targetType(source.typeOf(column)));
        }
        List<String> unindexable = source.primaryKey().stream().filter(k -> UNINDEXABLE.matcher(types.get(k)).matches()).toList();
        if (!unindexable.isEmpty()) {
            int bytesLeft = MAX_KEY_BYTES;
            for (String key : source.primaryKey()) {
                if (!unindexable.contains(key)) {
                    bytesLeft -= keyBytes(types.get(key));
                }
            }
            int each = Math.max(4, bytesLeft / unindexable.size());
            for (String key : unindexable) {
                boolean binary = types.get(key).toLowerCase(Locale.ROOT).endsWith("blob");
                types.put(key, binary ? "VARBINARY(" + each + ")" : "VARCHAR(" + each / 4 + ")");
            }
        }
        return types;
    }

    /** Bytes a key column takes in an index: exact for character and binary strings, else a bound (DECIMAL(65,30): 30). */
    private static int keyBytes(String type) {
        Matcher m = SIZED.matcher(type);
        if (m.matches()) {
            return Integer.parseInt(m.group(2)) * (m.group(1).equalsIgnoreCase("char") ? 4 : 1);
        }
        return 32;
    }

    @Override
    public List<String> columnsOf(Connection connection, TableId target) throws SQLException {
        return Jdbc.strings(connection, "SELECT COLUMN_NAME FROM information_schema.COLUMNS "
                + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION", target.schema(), target.table());
    }

    /** Commits the open transaction first, like all DDL; the writer truncates only before a full load starts. */
    @Override
    public void truncate(Connection connection, TableId target) throws SQLException {
        Jdbc.execute(connection, "TRUNCATE TABLE " + qualified(target));
    }

    @Override
    public void upsert(Connection connection, TableId target, List<String> keyColumns, List<String> columns,
            List<Map<String, Object>> rows) throws SQLException {
        prepareSession(connection);
        List<String> updated = columns.stream().filter(c -> !keyColumns.contains(c)).toList();
        // A table of key columns only has nothing to update; INSERT IGNORE would also turn data errors into warnings.
        // VALUES(c) is deprecated since MySQL 8.0.20 (a warning), but MariaDB has no other way to name the new row.
        String onDuplicate = (updated.isEmpty() ? List.of(keyColumns.get(0)) : updated).stream()
                .map(c -> quote(c) + " = VALUES(" + quote(c) + ")").collect(Collectors.joining(", "));
        String tuple = "(" + repeat("?", columns.size()) + ")";
        List<Object[]> bound = bound(connection, target, columns, rows);
        List<Integer> enums = enumColumns(connection, target, columns);
        // Rows that carry only some columns (values the source did not send) update an existing row; in strict mode
        // the INSERT part would fail on a NOT NULL column without a default that it does not name.
        boolean partial = !columns.containsAll(requiredColumns.get(target));
        for (List<Object[]> run : runsByErrorValue(bound, enums)) {
            boolean lenient = partial || holdsEnumErrorValue(run.get(0), enums);
            if (lenient) {
                Jdbc.update(connection, "SET sql_mode = ?", lenientMode);
            }
            try {
                for (List<Object[]> chunk : chunks(run, columns.size(), Integer.MAX_VALUE)) {
                    execute(connection, "INSERT INTO " + qualified(target) + " (" + quotedList(columns) + ") VALUES "
                            + repeat(tuple, chunk.size()) + " ON DUPLICATE KEY UPDATE " + onDuplicate, chunk);
                }
            } finally {
                if (lenient) {
                    Jdbc.update(connection, "SET sql_mode = ?", strictMode);
                }
            }
        }
    }

    /** Positions of the ENUM columns among {@code columns}. */
    private List<Integer> enumColumns(Connection connection, TableId target, List<String> columns) throws SQLException {
        Map<String, String> types = targetTypes(connection, target, columns);
        List<Integer> enums = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            if ("enum".equals(types.get(columns.get(i)))) {
                enums.add(i);
            }
        }
        return enums;
    }

    /**
     * An ENUM holding '' where '' is no member holds its error value (index 0), which non-strict inserts leave and
     * strict mode refuses to write. Such a row goes in without strict mode, as mariadb-dump's session writes it; ''
     * into an ENUM that has '' as a member lands on that member either way.
     */
    private static boolean holdsEnumErrorValue(Object[] row, List<Integer> enums) {
        for (int i : enums) {
            if ("".equals(row[i])) {
                return true;
            }
        }
        return false;
    }

    /** Consecutive rows that agree on {@link #holdsEnumErrorValue}, in order, so that later writes still win. */
    private static List<List<Object[]>> runsByErrorValue(List<Object[]> rows, List<Integer> enums) {
        List<List<Object[]>> runs = new ArrayList<>();
        List<Object[]> run = new ArrayList<>();
        for (Object[] row : rows) {
            if (!run.isEmpty() && holdsEnumErrorValue(row, enums) != holdsEnumErrorValue(run.get(0), enums)) {
                runs.add(run);
                run = new ArrayList<>();
            }
            run.add(row);
        }
        if (!run.isEmpty()) {
            runs.add(run);
        }
        return runs;
    }

    @Override
    public void delete(Connection connection, TableId target, List<String> keyColumns, List<Map<String, Object>> keys)
            throws SQLException {
        prepareSession(connection);
        boolean single = keyColumns.size() == 1;
        String match = single ? quote(keyColumns.get(0)) : "(" + quotedList(keyColumns) + ")";
        String tuple = single ? "?" : "(" + repeat("?", keyColumns.size()) + ")";
        for (List<Object[]> chunk : chunks(bound(connection, target, keyColumns, keys), keyColumns.size(), MAX_KEYS_PER_DELETE)) {
            String sql = "DELETE FROM " + qualified(target) + " WHERE " + match + " IN (" + repeat(tuple, chunk.size()) + ")";
            execute(connection, sql, chunk);
        }
    }

    private static String repeat(String item, int times) {
        return String.join(", ", Collections.nCopies(times, item));
    }

    /** Target types chosen per source column type instead of the built-in mapping (the sink's typeMapping). */
    public void setTypeOverrides(TypeOverrides overrides) {
        this.overrides = overrides;
    }

    /** Each row's values of {@code columns}, in order, as the driver binds them. */
    private List<Object[]> bound(Connection connection, TableId target, List<String> columns, List<Map<String, Object>> rows)
            throws SQLException {
        Map<String, String> types = targetTypes(connection, target, columns);
        List<Object[]> bound = new ArrayList<>(rows.size());
        for (Map<String, Object> row : rows) {
            Object[] values = new Object[columns.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = bindable(row.get(columns.get(i)), types.getOrDefault(columns.get(i), ""), target, columns.get(i));
            }
            bound.add(values);
        }
        return bound;
    }

    /** The target table's column types (DATA_TYPE), read once: a value is bound in the form its column reads exactly. */
    private Map<String, String> targetTypes(Connection connection, TableId target, List<String> columns) throws SQLException {
        Map<String, String> types = targetTypes.get(target);
        if (types == null || !types.keySet().containsAll(columns)) {
            types = Jdbc.pairs(connection, "SELECT COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS "
                    + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?", target.schema(), target.table());
            targetTypes.put(target, types);
            requiredColumns.put(target, Set.copyOf(Jdbc.strings(connection, "SELECT COLUMN_NAME FROM information_schema.COLUMNS "
                    + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL "
                    + "AND EXTRA NOT LIKE '%auto_increment%' AND EXTRA NOT LIKE '%GENERATED%'", target.schema(), target.table())));
        }
        return types;
    }

    /** Splits rows so that a statement stays under the placeholder limit, the size bound and {@code maxRows}. */
    private static List<List<Object[]>> chunks(List<Object[]> rows, int width, int maxRows) {
        int rowsByParameters = Math.max(1, MAX_PARAMETERS / width);
        List<List<Object[]>> chunks = new ArrayList<>();
        List<Object[]> chunk = new ArrayList<>();
        long bytes = 0;
        for (Object[] row : rows) {
            long rowBytes = estimatedBytes(row);
            boolean full = chunk.size() == rowsByParameters || chunk.size() == maxRows || bytes + rowBytes > MAX_STATEMENT_BYTES;
            if (full && !chunk.isEmpty()) {
                chunks.add(chunk);
                chunk = new ArrayList<>();
                bytes = 0;
            }
            chunk.add(row);
            bytes += rowBytes;
        }
        if (!chunk.isEmpty()) {
            chunks.add(chunk);
        }
        return chunks;
    }

    /** An upper bound of a row's size in the statement text (UTF-8 takes at most 3 bytes per Java char, escaping 2 per byte). */
    private static long estimatedBytes(Object[] row) {
        long bytes = 0;
        for (Object value : row) {
            if (value instanceof String s) {
                bytes += 3L * s.length() + 4;
            } else if (value instanceof byte[] b) {
                bytes += 2L * b.length + 12;
            } else {
                bytes += 40;
            }
        }
        return bytes;
    }

    private static void execute(Connection connection, String sql, List<Object[]> rows) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int index = 1;
            for (Object[] row : rows) {
                for (Object value : row) {
                    if (value == null) {
                        statement.setNull(index++, Types.NULL);
                    } else {
                        statement.setObject(index++, value);
                    }
                }
            }
            statement.executeUpdate();
        }
    }

    /**
     * The value as the driver should bind it into a column of {@code targetType} (see {@link routes.capture.DebeziumValues}
     * for what arrives). Zoned date-times become UTC: DATETIME has no zone, and TIMESTAMP converts from the session's,
     * which is UTC. A text column (where a PostgreSQL type MySQL lacks is kept) gets PostgreSQL's text of the value.
     */
    private static Object bindable(Object value, String targetType, TableId target, String column) throws SQLException {
        if (value instanceof String text && "bit".equals(targetType) && BIT_DIGITS.matcher(text).matches()) {
            return new BitString(text).bytes(); // a PostgreSQL bit string arrives as its digits
        }
        if (value == null || value instanceof String) {
            return value;
        }
        if (TEXT_TYPES.contains(targetType) && !(value instanceof JsonText)) {
            return PostgresCopyText.literal(value instanceof OffsetDateTime t ? t.withOffsetSameInstant(ZoneOffset.UTC) : value);
        }
        if (value instanceof BitString bits) {
            return bits.bytes();
        }
        if (value instanceof Boolean || value instanceof byte[] || value instanceof LocalDate || value instanceof LocalTime
                || value instanceof LocalDateTime) {
            return value;
        }
        if (value instanceof Number number) {
            if ((value instanceof Float || value instanceof Double) && !Double.isFinite(number.doubleValue())) {
                throw new SQLDataException("Column " + column + " of " + target + " holds " + value + ", which MySQL cannot store");
            }
            // The driver writes -0.0 as a decimal literal, which has no sign; as a float literal it keeps it.
            return (value instanceof Float || value instanceof Double) && number.doubleValue() == 0 && 1 / number.doubleValue() < 0
                    ? "-0E0"
                    : value;
        }
        if (value instanceof OffsetDateTime t) {
            return t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        }
        if (value instanceof OffsetTime t) {
            return t.withOffsetSameInstant(ZoneOffset.UTC).toLocalTime();
        }
        if (value instanceof JsonText json) {
            return json.json();
        }
        if (value instanceof List<?> list) {
            try {
                return JSON.writeValueAsString(jsonable(list));
            } catch (JsonProcessingException e) {
                throw new SQLDataException("Column " + column + " of " + target + ": " + e.getOriginalMessage(), e);
            }
        }
        throw new SQLDataException("Column " + column + " of " + target + " holds a " + value.getClass().getName()
                + ", which the MySQL writer cannot store");
    }

    /** A value inside an array as Jackson should write it: JSON stays JSON, dates and times become ISO-8601 text. */
    private static Object jsonable(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(MariaDbDialect::jsonable).toList();
        }
        if (value instanceof JsonText json) {
            return new RawValue(json.json());
        }
        if (value == null || value instanceof Boolean || value instanceof Number || value instanceof String || value instanceof byte[]) {
            return value;
        }
        return value.toString();
    }

    @Override
    public void createStateTables(Connection connection) throws SQLException {
        prepareSession(connection);
        // Keys stay within InnoDB's 3072 bytes in utf8mb4: (128 + 512) characters * 4. InnoDB wants an
        // AUTO_INCREMENT column first in some index, hence schema_history's second key.
        Jdbc.execute(connection,
                "CREATE DATABASE IF NOT EXISTS " + STATE_DATABASE + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin",
                "CREATE TABLE IF NOT EXISTS " + STATE_DATABASE + ".source_offsets (task VARCHAR(128) NOT NULL, "
                        + "offset_key VARCHAR(512) NOT NULL, offset_value LONGTEXT NOT NULL, "
                        + "committed_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), PRIMARY KEY (task, offset_key)) " + TABLE_OPTIONS,
                "CREATE TABLE IF NOT EXISTS " + STATE_DATABASE + ".schema_history (task VARCHAR(128) NOT NULL, "
                        + "seq BIGINT NOT NULL AUTO_INCREMENT, record LONGTEXT NOT NULL, PRIMARY KEY (task, seq), KEY (seq)) " + TABLE_OPTIONS,
                "CREATE TABLE IF NOT EXISTS " + STATE_DATABASE + ".table_status (task VARCHAR(128) NOT NULL, "
                        + "source_table VARCHAR(512) NOT NULL, status VARCHAR(32) NOT NULL, reason TEXT, "
                        + "updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), PRIMARY KEY (task, source_table)) " + TABLE_OPTIONS,
                "CREATE TABLE IF NOT EXISTS " + STATE_DATABASE + ".dirty_rows (task VARCHAR(128) NOT NULL, "
                        + "seq BIGINT NOT NULL AUTO_INCREMENT, source_table VARCHAR(512) NOT NULL, target_table VARCHAR(512) NOT NULL, "
                        + "operation VARCHAR(16) NOT NULL, row_key LONGTEXT NOT NULL, row_data LONGTEXT, error LONGTEXT NOT NULL, "
                        + "recorded_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), PRIMARY KEY (task, seq), KEY (seq)) " + TABLE_OPTIONS,
                "CREATE TABLE IF NOT EXISTS " + STATE_DATABASE + ".table_definitions (task VARCHAR(128) NOT NULL, "
                        + "source_table VARCHAR(512) NOT NULL, definition LONGTEXT NOT NULL, "
                        + "updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), PRIMARY KEY (task, source_table)) " + TABLE_OPTIONS,
                "CREATE TABLE IF NOT EXISTS " + STATE_DATABASE + ".full_load (task VARCHAR(128) NOT NULL PRIMARY KEY, "
                        + "watermark LONGTEXT NOT NULL, started_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)) " + TABLE_OPTIONS,
                "CREATE TABLE IF NOT EXISTS " + STATE_DATABASE + ".full_load_chunks (task VARCHAR(128) NOT NULL, "
                        + "source_table VARCHAR(512) NOT NULL, chunk INT NOT NULL, lower_bound BIGINT, upper_bound BIGINT, "
                        + "rows_copied BIGINT, PRIMARY KEY (task, source_table, chunk)) " + TABLE_OPTIONS,
                // A paused or resyncing table's changes, in source order (sink.HeldChanges)
                "CREATE TABLE IF NOT EXISTS " + STATE_DATABASE + ".held_changes (task VARCHAR(128) NOT NULL, "
                        + "source_table VARCHAR(512) NOT NULL, seq BIGINT NOT NULL, change_data LONGBLOB NOT NULL, "
                        + "PRIMARY KEY (task, source_table, seq)) " + TABLE_OPTIONS,
                // Operations on one table that outlive a restart (sink.TableOperations)
                "CREATE TABLE IF NOT EXISTS " + STATE_DATABASE + ".table_operations (task VARCHAR(128) NOT NULL, "
                        + "source_table VARCHAR(512) NOT NULL, operation VARCHAR(32) NOT NULL, settings LONGTEXT NOT NULL, "
                        + "started_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), PRIMARY KEY (task, source_table)) " + TABLE_OPTIONS);
    }

    /** A state table's key/value pairs of one task; nothing (and nothing created) on a target this project never wrote to. */
    private static Map<String, String> taskPairs(Connection connection, String table, String keyColumn, String valueColumn, String task)
            throws SQLException {
        return stateTableExists(connection, table)
                ? Jdbc.pairs(connection, "SELECT " + keyColumn + ", " + valueColumn + " FROM " + STATE_DATABASE + "." + table + " WHERE task = ?", task)
                : new LinkedHashMap<>();
    }

    /** False on a target this project never wrote to: reading must not create anything there. */
    private static boolean stateTableExists(Connection connection, String table) throws SQLException {
        return Jdbc.exists(connection, "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?",
                STATE_DATABASE, table);
    }

    @Override
    public Map<String, String> loadOffsets(Connection connection, String task) throws SQLException {
        return taskPairs(connection, "source_offsets", "offset_key", "offset_value", task);
    }

    @Override
    public void saveOffsets(Connection connection, String task, Map<String, String> offsets) throws SQLException {
        prepareSession(connection);
        for (Map.Entry<String, String> offset : offsets.entrySet()) {
            Jdbc.update(connection, "INSERT INTO " + STATE_DATABASE + ".source_offsets (task, offset_key, offset_value) VALUES (?, ?, ?) "
                    + "ON DUPLICATE KEY UPDATE offset_value = VALUES(offset_value), committed_at = CURRENT_TIMESTAMP(6)",
                    task, offset.getKey(), offset.getValue());
        }
    }

    @Override
    public List<String> loadSchemaHistory(Connection connection, String task) throws SQLException {
        return stateTableExists(connection, "schema_history")
                ? Jdbc.strings(connection, "SELECT record FROM " + STATE_DATABASE + ".schema_history WHERE task = ? ORDER BY seq", task)
                : new ArrayList<>();
    }

    @Override
    public void appendSchemaHistory(Connection connection, String task, String record) throws SQLException {
        prepareSession(connection);
        Jdbc.update(connection, "INSERT INTO " + STATE_DATABASE + ".schema_history (task, record) VALUES (?, ?)", task, record);
    }

    @Override
    public void clearSchemaHistory(Connection connection, String task) throws SQLException {
        Jdbc.update(connection, "DELETE FROM " + STATE_DATABASE + ".schema_history WHERE task = ?", task);
    }

    @Override
    public void saveTableStatus(Connection connection, String task, TableId source, TableState status, String reason)
            throws SQLException {
        prepareSession(connection);
        Jdbc.update(connection, "INSERT INTO " + STATE_DATABASE + ".table_status (task, source_table, status, reason) VALUES (?, ?, ?, ?) "
                + "ON DUPLICATE KEY UPDATE status = VALUES(status), reason = VALUES(reason), updated_at = CURRENT_TIMESTAMP(6)",
                task, source.toString(), status.name(), reason);
    }

    @Override
    public void changeTableStatus(Connection connection, String task, TableState from, TableState to, String reason) throws SQLException {
        if (stateTableExists(connection, "table_status")) {
            prepareSession(connection);
            Jdbc.update(connection, "UPDATE " + STATE_DATABASE + ".table_status SET status = ?, reason = ?, "
                    + "updated_at = CURRENT_TIMESTAMP(6) WHERE task = ? AND status = ?", to.name(), reason, task, from.name());
        }
    }

    @Override
    public Map<String, String> loadTableStatus(Connection connection, String task) throws SQLException {
        return taskPairs(connection, "table_status", "source_table", "status", task);
    }

    /** Reads the task's rows and deletes those not kept: no statement grows with the number of tables. */
    @Override
    public void forgetTableStatus(Connection connection, String task, Collection<TableId> keep) throws SQLException {
        Set<String> kept = keep.stream().map(TableId::toString).collect(Collectors.toSet());
        for (String table : loadTableStatus(connection, task).keySet()) {
            if (!kept.contains(table)) {
                Jdbc.update(connection, "DELETE FROM " + STATE_DATABASE + ".table_status WHERE task = ? AND source_table = ?", task, table);
            }
        }
    }

    @Override
    public boolean isTransient(SQLException error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            // The driver's transient exceptions cover lost connections and rolled-back transactions (deadlocks).
            if (t instanceof SQLTransientException || t instanceof IOException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                // 08: connection exception; 40001: serialization failure (deadlock).
                if ((state != null && (state.startsWith("08") || state.equals("40001"))) || TRANSIENT_ERRORS.contains(sql.getErrorCode())) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public boolean isDataError(SQLException error) {
        if (error instanceof SQLDataException || error instanceof SQLIntegrityConstraintViolationException) {
            return true;
        }
        String state = error.getSQLState();
        return (state != null && (state.startsWith("22") || state.startsWith("23"))) || DATA_ERRORS.contains(error.getErrorCode());
    }

    @Override
    public void saveDirtyRow(Connection connection, String task, TableId source, TableId target, String operation, String key,
            String row, String error) throws SQLException {
        prepareSession(connection);
        Jdbc.update(connection, "INSERT INTO " + STATE_DATABASE + ".dirty_rows (task, source_table, target_table, operation, row_key, "
                + "row_data, error) VALUES (?, ?, ?, ?, ?, ?, ?)", task, source.toString(), target.toString(), operation, key, row, error);
    }

    @Override
    public void saveTableDefinition(Connection connection, String task, TableId source, String definition) throws SQLException {
        prepareSession(connection);
        Jdbc.update(connection, "INSERT INTO " + STATE_DATABASE + ".table_definitions (task, source_table, definition) VALUES (?, ?, ?) "
                + "ON DUPLICATE KEY UPDATE definition = VALUES(definition), updated_at = CURRENT_TIMESTAMP(6)", task, source.toString(), definition);
    }

    @Override
    public Map<String, String> loadTableDefinitions(Connection connection, String task) throws SQLException {
        return taskPairs(connection, "table_definitions", "source_table", "definition", task);
    }

    @Override
    public long countDirtyRows(Connection connection, String task) throws SQLException {
        return stateTableExists(connection, "dirty_rows")
                ? Long.parseLong(Jdbc.strings(connection, "SELECT CAST(COUNT(*) AS CHAR) FROM " + STATE_DATABASE
                        + ".dirty_rows WHERE task = ?", task).get(0))
                : 0;
    }

    @Override
    public String targetType(DataType type) {
        return overrides.targetFor(type.sourceText()).orElseGet(() -> MySqlTypes.write(type));
    }

    /** MySQL has no ADD COLUMN IF NOT EXISTS (MariaDB has): look first, so a replay after a crash does no harm. */
    @Override
    public void addColumn(Connection connection, TableId target, String column, String type, String fill) throws SQLException {
        if (columnsOf(connection, target).contains(column)) {
            return;
        }
        if (fill == null) {
            Jdbc.execute(connection, "ALTER TABLE " + qualified(target) + " ADD COLUMN " + quote(column) + " " + type);
            return;
        }
        prepareSession(connection); // strict: a value the column cannot take fails instead of being cut
        // A constant default fills the existing rows (instantly, in InnoDB); dropping it after keeps their value.
        Jdbc.execute(connection, "ALTER TABLE " + qualified(target) + " ADD COLUMN " + quote(column) + " " + type + " DEFAULT "
                + defaultLiteral(fill, type), "ALTER TABLE " + qualified(target) + " ALTER COLUMN " + quote(column) + " DROP DEFAULT");
        targetTypes.remove(target);
    }

    /**
     * A source's text of a value as a literal for a column of {@code type}: PostgreSQL's booleans (t, f), bit strings
     * and bytea (\\x and hex digits) in MariaDB's notation; other text as a string, hex-encoded when it holds a
     * backslash, whose meaning depends on the server's sql_mode.
     */
    static String defaultLiteral(String text, String type) {
        String base = type.toLowerCase(java.util.Locale.ROOT).replaceFirst("[ (].*", "");
        if ((base.equals("boolean") || base.equals("tinyint")) && text.matches("(?i)t|f|true|false")) {
            return text.toLowerCase(java.util.Locale.ROOT).startsWith("t") ? "1" : "0";
        }
        if (base.equals("bit") && BIT_DIGITS.matcher(text).matches()) {
            return "b'" + text + "'";
        }
        if (base.endsWith("blob") || base.endsWith("binary")) {
            return text.startsWith("\\x") ? "X'" + text.substring(2) + "'"
                    : "X'" + java.util.HexFormat.of().formatHex(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "'";
        }
        if (text.indexOf('\\') >= 0) {
            return "_utf8mb4 X'" + java.util.HexFormat.of().formatHex(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "'";
        }
        return "'" + text.replace("'", "''") + "'";
    }

    @Override
    public void dropColumn(Connection connection, TableId target, String column) throws SQLException {
        if (columnsOf(connection, target).contains(column)) {
            Jdbc.execute(connection, "ALTER TABLE " + qualified(target) + " DROP COLUMN " + quote(column));
        }
    }

    @Override
    public void renameColumn(Connection connection, TableId target, String from, String to) throws SQLException {
        List<String> columns = columnsOf(connection, target);
        if (columns.contains(from) && !columns.contains(to)) {
            Jdbc.execute(connection, "ALTER TABLE " + qualified(target) + " RENAME COLUMN " + quote(from) + " TO " + quote(to));
        }
    }

    @Override
    public void changeColumnType(Connection connection, TableId target, String column, String type, boolean nullable)
            throws SQLException {
        prepareSession(connection);
        Jdbc.execute(connection, "ALTER TABLE " + qualified(target) + " MODIFY COLUMN " + quote(column) + " " + type
                + (nullable ? " NULL" : " NOT NULL"));
        targetTypes.remove(target);
    }

    @Override
    public void dropNotNull(Connection connection, TableId target, String column, String type) throws SQLException {
        Jdbc.execute(connection, "ALTER TABLE " + qualified(target) + " MODIFY COLUMN " + quote(column) + " " + type + " NULL");
    }

    @Override
    public void dropTable(Connection connection, TableId target) throws SQLException {
        Jdbc.execute(connection, "DROP TABLE IF EXISTS " + qualified(target));
        targetTypes.remove(target);
    }

    @Override
    public void renameTable(Connection connection, TableId from, TableId to) throws SQLException {
        if (columnsOf(connection, from).isEmpty() || !columnsOf(connection, to).isEmpty()) {
            return;
        }
        Jdbc.execute(connection, "CREATE DATABASE IF NOT EXISTS " + quote(to.schema()) + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin",
                "RENAME TABLE " + qualified(from) + " TO " + qualified(to));
        targetTypes.remove(from);
    }

    /**
     * One RENAME TABLE swaps the tables atomically, then the old one goes. RENAME commits the open transaction first
     * (MySQL's rule for DDL): the writer's bookkeeping after it commits with the position.
     */
    @Override
    public void replaceTable(Connection connection, TableId target, TableId staging, TableSchema shape, List<String> columns)
            throws SQLException {
        TableId old = new TableId(staging.schema(), staging.table() + "_old");
        Jdbc.execute(connection, "DROP TABLE IF EXISTS " + qualified(old),
                "RENAME TABLE " + qualified(target) + " TO " + qualified(old) + ", " + qualified(staging) + " TO " + qualified(target),
                "DROP TABLE " + qualified(old));
        targetTypes.remove(target);
        targetTypes.remove(staging);
    }

    private String quotedList(List<String> names) {
        return names.stream().map(this::quote).collect(Collectors.joining(", "));
    }
}
