package routes.capture;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import routes.change.SourcePosition;
import routes.ops.TaskProblem;
import routes.state.StartPosition;

/**
 * A PostgreSQL start position: an LSN the replication slot still holds the WAL after (not before its
 * {@code confirmed_flush_lsn}, which the server may have released), or the server's current WAL position.
 */
final class PostgresStartPoint implements StartPoint {

    private final Map<String, String> config;
    private final PostgresSource source;

    PostgresStartPoint(Map<String, String> config) {
        this.config = config;
        this.source = new PostgresSource(config);
    }

    @Override
    public void check(StartPosition position) {
        if (!(position instanceof StartPosition.Lsn chosen)) {
            return;
        }
        String slot = slot();
        try (Connection c = connect()) {
            String confirmed = single(c, "SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = ?", slot);
            if (confirmed == null) {
                throw new TaskProblem("start position " + chosen + " is no longer available: replication slot '" + slot + "' does not exist on "
                        + source.describe() + " (lost, or the task never ran), so no change before now can be read; start with "
                        + StartPosition.OPTION + " initial (or latest)");
            }
            SourcePosition.Lsn first = SourcePosition.Lsn.parse(confirmed);
            if (chosen.lsn().value() < first.value()) {
                throw new TaskProblem("start position " + chosen + " is no longer available: replication slot '" + slot + "' on "
                        + source.describe() + " holds the WAL from " + first.text() + " on (its confirmed_flush_lsn); start with "
                        + StartPosition.OPTION + " lsn:" + first.text() + " or later, " + StartPosition.OPTION
                        + " initial, or resync the tables");
            }
            SourcePosition.Lsn end = SourcePosition.Lsn.parse(single(c, "SELECT pg_current_wal_insert_lsn()::text", null));
            if (chosen.lsn().value() > end.value()) {
                throw new TaskProblem("start position " + chosen + " is after the end of the WAL on " + source.describe() + " ("
                        + end.text() + "): name an LSN the server has written, or use " + StartPosition.OPTION + " latest");
            }
        } catch (SQLException e) {
            throw new TaskProblem("Cannot check start position " + chosen + " on " + source.describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Resolved resolve(StartPosition position) {
        if (position instanceof StartPosition.Lsn chosen) {
            return new Resolved(chosen.lsn().offset(), List.of(), chosen.toString());
        }
        try (Connection c = connect()) {
            String end;
            if (single(c, "SELECT slot_name FROM pg_replication_slots WHERE slot_name = ?", slot()) == null) {
                // The engine refuses to start before its slot's first position: the slot begins here.
                end = createSlot();
            } else {
                // Where the next WAL record goes: a commit with asynchronous commit may not be written out yet.
                end = single(c, "SELECT pg_current_wal_insert_lsn()::text", null);
            }
            SourcePosition.Lsn lsn = SourcePosition.Lsn.parse(end);
            return new Resolved(lsn.offset(), List.of(), "lsn:" + lsn.text() + " (the end of the WAL now)");
        } catch (SQLException e) {
            throw new TaskProblem("Cannot read the current WAL position of " + source.describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Integer compare(Map<String, Object> committed, Resolved chosen) {
        Object lsn = committed.get("lsn");
        return lsn instanceof Number n ? Long.compare(((Number) chosen.offset().get("lsn")).longValue(), n.longValue()) : null;
    }

    /** The committed offset's LSN in PostgreSQL's form, for messages. */
    static String text(Map<String, Object> committed) {
        return committed.get("lsn") instanceof Number n ? "lsn:" + new SourcePosition.Lsn(n.longValue()).text() : String.valueOf(committed);
    }

    /** Creates the task's slot through the replication protocol, as the chunked full load does; returns where it begins. */
    private String createSlot() throws SQLException {
        java.util.Properties properties = PostgresSource.connectionProperties(config, "realtime-sync start position");
        org.postgresql.PGProperty.REPLICATION.set(properties, "database");
        org.postgresql.PGProperty.ASSUME_MIN_SERVER_VERSION.set(properties, "9.4");
        org.postgresql.PGProperty.PREFER_QUERY_MODE.set(properties, "simple");
        try (Connection c = DriverManager.getConnection(PostgresSource.url(config), properties)) {
            return c.unwrap(org.postgresql.PGConnection.class).getReplicationAPI().createReplicationSlot().logical().withSlotName(slot())
                    .withOutputPlugin("pgoutput").make().getConsistentPoint().asString();
        }
    }

    private String slot() {
        return config.getOrDefault("slot.name", "debezium");
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(PostgresSource.url(config), PostgresSource.connectionProperties(config, "realtime-sync start position"));
    }

    private static String single(Connection c, String sql, String parameter) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            if (parameter != null) {
                s.setString(1, parameter);
            }
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
