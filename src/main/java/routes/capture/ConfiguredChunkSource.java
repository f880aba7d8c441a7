package routes.capture;

import java.io.OutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import routes.change.TableId;
import routes.fullload.Chunk;
import routes.fullload.ChunkSource;
import routes.schema.Column;
import routes.schema.TableSchema;

/**
 * A chunk source whose split keys, chunk size, parallelism and skipped tables come from the task's source settings, and
 * whose tables are split into even ranges of an integer split key.
 */
abstract class ConfiguredChunkSource implements ChunkSource {

    /** The settings the Debezium connector receives (see {@link FullLoadSettings}). */
    protected final Map<String, String> config;
    /** The source whose tables are read, for their present structure. */
    private final SourceDatabase database;

    /** Operators' filters on tables' chunks (a backfill's), by table. */
    private final Map<TableId, String> restrictions = new ConcurrentHashMap<>();

    /** One connection for planning (watermark, estimates, key ranges): a task with many tables plans them all on it. */
    private Connection planning;

    ConfiguredChunkSource(Map<String, String> config, SourceDatabase database) {
        this.config = config;
        this.database = database;
    }

    protected synchronized Connection planningConnection() throws SQLException {
        if (planning == null || planning.isClosed()) {
            planning = connect();
        }
        return planning;
    }

    @Override
    public synchronized void close() {
        try {
            if (planning != null) {
                planning.close();
            }
        } catch (SQLException ignored) {
            // closing after the load: nothing depends on it
        } finally {
            planning = null;
        }
    }

    /**
     * Fails when a loaded table's columns or key changed while the load ran: chunks read before the change lack what it
     * brought (a column added with a default holds it in rows no change will bring), and on MariaDB the log before it
     * would not decode with the present structure.
     */
    @Override
    public void checkUnchanged(List<TableSchema> planned) throws SQLException {
        Map<TableId, TableSchema> now = database.tables().stream().collect(Collectors.toMap(TableSchema::id, t -> t));
        for (TableSchema table : planned) {
            TableSchema present = now.get(table.id());
            if (present == null || !present.columns().equals(table.columns()) || !present.primaryKey().equals(table.primaryKey())) {
                throw new SQLException("Table " + table.id() + " changed its structure on " + database.describe()
                        + " while the full load ran", "55000");
            }
        }
    }

    @Override
    public String splitKey(TableSchema table) {
        return FullLoadSettings.splitKey(config, table);
    }

    @Override
    public long chunkRows() {
        return FullLoadSettings.chunkRows(config);
    }

    @Override
    public int parallelism() {
        return FullLoadSettings.parallelism(config);
    }

    @Override
    public boolean skips(TableSchema table) {
        return FullLoadSettings.skips(config, table.id());
    }

    /** The source's identifier quote character. */
    protected abstract char identifierQuote();

    private String quotedName(TableId table) {
        return FullLoadSettings.quoted(table.schema(), identifierQuote()) + "." + FullLoadSettings.quoted(table.table(), identifierQuote());
    }

    /** The WHERE clause (or nothing) that reads one chunk of a table (see {@link FullLoadSettings#chunkCondition}). */
    protected final String chunkCondition(TableSchema table, Chunk chunk) {
        return FullLoadSettings.chunkCondition(config, table, chunk, identifierQuote(), Optional.ofNullable(restrictions.get(table.id())));
    }

    /**
     * Runs {@code SELECT 1 FROM table WHERE (where) LIMIT 0} as a prepared statement, which the source parses as one
     * statement only; comments and semicolons are refused first, so the condition cannot end the chunk query early.
     */
    @Override
    public void checkFilter(TableSchema table, String where) throws SQLException {
        if (where.contains(";") || where.contains("--") || where.contains("/*") || where.contains("#")) {
            throw new SQLException("the filter '" + where + "' holds ';', '--', '/*' or '#': give one condition on the "
                    + "table's columns, without comments, e.g. {\"where\": \"id BETWEEN 100 AND 200\"}");
        }
        try (PreparedStatement check = planningConnection().prepareStatement(
                "SELECT 1 FROM " + quotedName(table.id()) + " WHERE (" + where + ") LIMIT 0")) {
            check.executeQuery().close();
        } catch (SQLException e) {
            throw new SQLException("the source refuses the filter '" + where + "' on " + table.id() + ": " + e.getMessage(),
                    e.getSQLState(), e);
        }
    }

    @Override
    public void restrict(TableId table, String where) {
        restrictions.put(table, where);
    }

    /**
     * Even ranges between the split key's smallest and largest value; one chunk for a table whose split key is not an
     * integer, an empty table, or keys past a long's range.
     */
    @Override
    public List<Chunk> plan(TableSchema table, long rows, long chunkRows) throws SQLException {
        String key = splitKey(table);
        if (!table.column(key).map(this::isInteger).orElse(false)) {
            return List.of(new Chunk(table.id(), 0, null, null, null));
        }
        try (Statement s = planningConnection().createStatement(); ResultSet rs = s.executeQuery(keyRangeQuery(table, key))) {
            rs.next();
            if (rs.getString(1) == null) {
                return List.of(new Chunk(table.id(), 0, null, null, null));
            }
            return Chunk.split(table.id(), Long.parseLong(rs.getString(1)), Long.parseLong(rs.getString(2)), rows, chunkRows);
        } catch (NumberFormatException beyondLong) {
            return List.of(new Chunk(table.id(), 0, null, null, null)); // e.g. BIGINT UNSIGNED past 2^63
        }
    }

    @Override
    public Reader reader() throws SQLException {
        Connection c = connect();
        try {
            prepareReader(c);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return new Reader() {
            @Override
            public long copyOut(TableSchema table, Chunk chunk, OutputStream out, RefusedRows refused) throws SQLException {
                return ConfiguredChunkSource.this.copyOut(c, table, chunk, out, refused);
            }

            @Override
            public long readRows(TableSchema table, Chunk chunk, RowConsumer rows) throws SQLException {
                return ConfiguredChunkSource.this.readRows(c, table, chunk, rows);
            }

            @Override
            public void close() throws SQLException {
                c.close();
            }
        };
    }

    /** {@link Reader#readRows} on the reader's connection, for sources that offer it. */
    protected long readRows(Connection c, TableSchema table, Chunk chunk, RowConsumer rows) throws SQLException {
        throw new UnsupportedOperationException("this source's chunks are read for PostgreSQL targets only");
    }

    /** Session settings a reader's connection needs before its first chunk. */
    protected abstract void prepareReader(Connection c) throws SQLException;

    /** {@link Reader#copyOut} on the reader's connection. */
    protected abstract long copyOut(Connection c, TableSchema table, Chunk chunk, OutputStream out, RefusedRows refused) throws SQLException;

    /** Whether a column holds whole numbers the split can step through. */
    protected abstract boolean isInteger(Column column);

    /** The query returning the split key's smallest and largest value, as text. */
    protected abstract String keyRangeQuery(TableSchema table, String key);

    /** A new connection to the source. */
    protected abstract Connection connect() throws SQLException;
}
