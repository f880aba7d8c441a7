package routes.capture;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;

import routes.change.SourcePosition;
import routes.ops.TaskProblem;
import routes.state.StartPosition;

/**
 * A MySQL-family start position. MariaDB's capture starts from a GTID set (the offset's {@code gtids}), so every
 * position is turned into the set executed before it ({@code BINLOG_GTID_POS(file, pos)}): the engine then reads
 * exactly the transactions after it. The tables' structure at the position is the catalog's now (see
 * {@link #keepsSchemaHistory}). On MySQL only {@code binlog:} and {@code latest} are supported so far.
 */
final class BinlogStartPoint implements StartPoint {

    private record LogFile(String name, long size) {
        long number() {
            return Long.parseLong(name.substring(name.lastIndexOf('.') + 1));
        }
    }

    private final Map<String, String> config;
    private final MySqlSource source;

    BinlogStartPoint(Map<String, String> config) {
        this.config = config;
        this.source = new MySqlSource(config);
    }

    @Override
    public void check(StartPosition position) {
        if (position instanceof StartPosition.Latest || position instanceof StartPosition.Initial) {
            return;
        }
        boolean mariaDb = source.isMariaDb();
        if (!mariaDb && !(position instanceof StartPosition.BinlogFile)) {
            throw new TaskProblem(StartPosition.OPTION + " " + position + " is not supported on a MySQL source yet: use binlog:FILE:POS "
                    + "(SHOW BINARY LOGS lists the files), latest or initial");
        }
        try (Connection c = source.connect("")) {
            List<LogFile> logs = binaryLogs(c);
            LogFile oldest = logs.get(0);
            if (position instanceof StartPosition.BinlogFile chosen) {
                LogFile file = logs.stream().filter(f -> f.name().equals(chosen.file())).findFirst().orElse(null);
                if (file == null && numberOf(chosen.file()) < oldest.number()) {
                    throw expired(chosen.file() + " was purged (oldest is " + oldest.name() + ")");
                }
                if (file == null) {
                    throw new TaskProblem(StartPosition.OPTION + " " + chosen + ": " + source.describe() + " has no binlog " + chosen.file()
                            + " (it has " + oldest.name() + " to " + logs.get(logs.size() - 1).name() + "; SHOW BINARY LOGS)");
                }
                if (chosen.position() > file.size() || (mariaDb && gtidsAt(c, chosen.file(), chosen.position()) == null)) {
                    throw new TaskProblem(StartPosition.OPTION + " " + chosen + " is not the start of an event in " + chosen.file()
                            + ": name a position SHOW BINLOG EVENTS IN '" + chosen.file() + "' lists (its Pos column)");
                }
            } else if (position instanceof StartPosition.GtidSet chosen) {
                Map<String, Long> first = sequences(gtidsAt(c, oldest.name(), 4));
                Map<String, Long> asked = sequences(chosen.gtids());
                for (Map.Entry<String, Long> domain : first.entrySet()) {
                    if (asked.getOrDefault(domain.getKey(), 0L) < domain.getValue()) {
                        throw expired("the transactions after gtid " + chosen.gtids() + " are no longer in the binlogs (the oldest, "
                                + oldest.name() + ", starts after " + gtidOf(first, domain.getKey()) + ")");
                    }
                }
                Map<String, Long> written = sequences(single(c, "SELECT @@gtid_binlog_pos"));
                for (Map.Entry<String, Long> domain : asked.entrySet()) {
                    if (domain.getValue() > written.getOrDefault(domain.getKey(), 0L)) {
                        throw new TaskProblem(StartPosition.OPTION + " " + chosen + " names transactions " + source.describe()
                                + " has not written (its binlogs reach " + single(c, "SELECT @@gtid_binlog_pos") + ")");
                    }
                }
            } else if (position instanceof StartPosition.Timestamp chosen) {
                Instant start = fileStart(oldest.name());
                if (chosen.at().isBefore(start)) {
                    throw expired("timestamp " + chosen.at() + " is before the oldest binlog, " + oldest.name() + ", which starts at " + start);
                }
            }
        } catch (SQLException | IOException e) {
            throw new TaskProblem("Cannot check start position " + position + " on " + source.describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Resolved resolve(StartPosition position) {
        boolean mariaDb = source.isMariaDb();
        try (Connection c = source.connect("")) {
            String file;
            long pos;
            String described;
            String gtids = null;
            if (position instanceof StartPosition.BinlogFile chosen) {
                file = chosen.file();
                pos = chosen.position();
                described = chosen.toString();
            } else if (position instanceof StartPosition.GtidSet chosen) {
                // The engine starts from the GTID set; the file names the binlog it reads on from only until its
                // first event says which one it is.
                List<LogFile> logs = binaryLogs(c);
                file = logs.get(logs.size() - 1).name();
                pos = 4;
                gtids = chosen.gtids();
                described = chosen.toString();
            } else if (position instanceof StartPosition.Timestamp chosen) {
                long[] at = {-1};
                List<LogFile> logs = binaryLogs(c);
                LogFile from = logs.get(0);
                for (LogFile log : logs) {
                    if (!fileStart(log.name()).isAfter(chosen.at())) {
                        from = log;
                    }
                }
                String[] foundFile = {null};
                scan(from.name(), (name, header) -> {
                    if (header.getEventType() == EventType.MARIADB_GTID && header.getTimestamp() >= chosen.at().toEpochMilli()) {
                        foundFile[0] = name;
                        at[0] = header.getPosition();
                        return true;
                    }
                    return false;
                });
                if (foundFile[0] == null) {
                    Map<String, Object> end = end(c, mariaDb);
                    file = (String) end.get("file");
                    pos = (Long) end.get("pos");
                    described = chosen + " (no transaction at or after it yet: the end of the binlog now, binlog:" + file + ":" + pos + ")";
                } else {
                    file = foundFile[0];
                    pos = at[0];
                    described = chosen + " (its first transaction at or after it: binlog:" + file + ":" + pos + ")";
                }
            } else {
                Map<String, Object> end = end(c, mariaDb);
                file = (String) end.get("file");
                pos = (Long) end.get("pos");
                described = "binlog:" + file + ":" + pos + " (the end of the binlog now)";
                gtids = (String) end.get("gtids");
            }
            if (gtids == null && mariaDb) {
                gtids = gtidsAt(c, file, pos);
            }
            Map<String, Object> offset = new SourcePosition.Binlog(file, pos, gtids, 0).offset();
            if (!mariaDb && gtids == null) {
                offset.remove("gtids");
            }
            return new Resolved(offset, List.of(), described);
        } catch (SQLException | IOException e) {
            throw new TaskProblem("Cannot find start position " + position + " on " + source.describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Integer compare(Map<String, Object> committed, Resolved chosen) {
        Object file = committed.get("file");
        Object pos = committed.get("pos");
        if (chosen.offset().get("gtids") instanceof String gtids && committed.get("gtids") instanceof String before && !gtids.isBlank()) {
            Map<String, Long> a = sequences(gtids);
            Map<String, Long> b = sequences(before);
            boolean later = false;
            boolean earlier = false;
            for (String domain : union(a, b)) {
                long x = a.getOrDefault(domain, 0L);
                long y = b.getOrDefault(domain, 0L);
                later |= x > y;
                earlier |= x < y;
            }
            return later && earlier ? null : later ? 1 : earlier ? -1 : 0;
        }
        if (file == null || pos == null) {
            return null;
        }
        int byFile = Long.compare(numberOf((String) chosen.offset().get("file")), numberOf(file.toString()));
        return byFile != 0 ? byFile : Long.compare(((Number) chosen.offset().get("pos")).longValue(), Long.parseLong(pos.toString()));
    }

    /**
     * The captured tables' structure now, as schema history records at {@code offset} (as the chunked full load's
     * watermark records it): exact unless a captured table's structure changed after that place.
     */
    @Override
    public List<String> schemaHistoryAt(Map<String, Object> offset) {
        try (Connection c = source.connect("")) {
            return MariaDbChunkSource.schemaHistory(c, source.tables(), Map.of("server", config.get("topic.prefix")), offset);
        } catch (SQLException e) {
            throw new TaskProblem("Cannot read the structure of the tables of " + source.describe() + ": " + e.getMessage(), e);
        }
    }

    /** The binlog's end now: file, position and (MariaDB) the GTID set executed before it. */
    private Map<String, Object> end(Connection c, boolean mariaDb) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
            if (!rs.next()) {
                throw new TaskProblem(source.describe() + " writes no binlog (SHOW MASTER STATUS is empty): set log_bin, as docs/sources.md says");
            }
            Map<String, Object> end = new LinkedHashMap<>();
            end.put("file", rs.getString(1));
            end.put("pos", rs.getLong(2));
            end.put("gtids", mariaDb ? null : rs.getMetaData().getColumnCount() >= 5 ? rs.getString(5) : null);
            return end;
        }
    }

    private TaskProblem expired(String what) {
        return new TaskProblem("binlog checkpoint expired: " + what + "; start with " + StartPosition.OPTION + " initial or resync the tables");
    }

    private static List<LogFile> binaryLogs(Connection c) throws SQLException {
        List<LogFile> logs = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                logs.add(new LogFile(rs.getString(1), rs.getLong(2)));
            }
        }
        if (logs.isEmpty()) {
            throw new SQLException("the server lists no binary logs (is log_bin on?)");
        }
        return logs;
    }

    /** MariaDB's GTID set executed before this place; null when the place is not the start of an event. */
    private static String gtidsAt(Connection c, String file, long position) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT BINLOG_GTID_POS(?, ?)")) {
            s.setString(1, file);
            s.setLong(2, position);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** The highest sequence number per replication domain of a MariaDB GTID set ({@code domain-server-sequence,...}). */
    static Map<String, Long> sequences(String gtids) {
        Map<String, Long> sequences = new LinkedHashMap<>();
        if (gtids == null || gtids.isBlank()) {
            return sequences;
        }
        for (String gtid : gtids.split(",")) {
            String[] parts = gtid.trim().split("-");
            if (parts.length == 3) {
                sequences.merge(parts[0], Long.parseLong(parts[2]), Math::max);
            }
        }
        return sequences;
    }

    private static String gtidOf(Map<String, Long> sequences, String domain) {
        return "domain " + domain + " sequence " + sequences.get(domain);
    }

    private static java.util.Set<String> union(Map<String, Long> a, Map<String, Long> b) {
        java.util.Set<String> all = new java.util.LinkedHashSet<>(a.keySet());
        all.addAll(b.keySet());
        return all;
    }

    private static long numberOf(String file) {
        return Long.parseLong(file.substring(file.lastIndexOf('.') + 1));
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** Sees each event's header until it returns true or the binlog ends. */
    private interface EventSeen {
        boolean stop(String file, EventHeaderV4 header);
    }

    /** When a binlog file was started: its format description event's time. */
    private Instant fileStart(String file) throws IOException {
        long[] millis = {-1};
        scan(file, (name, header) -> {
            if (header.getEventType() == EventType.FORMAT_DESCRIPTION) {
                millis[0] = header.getTimestamp();
                return true;
            }
            return false;
        });
        return Instant.ofEpochMilli(Math.max(0, millis[0]));
    }

    /**
     * Reads the binlog from the start of {@code file} to its end now (a replication connection that does not wait for
     * more), showing each event's header, with the file it is in, to {@code seen}.
     */
    private void scan(String file, EventSeen seen) throws IOException {
        BinaryLogClient client = new BinaryLogClient(config.get("database.hostname"), Integer.parseInt(config.getOrDefault("database.port", "3306")),
                config.getOrDefault("database.user", ""), config.getOrDefault("database.password", ""));
        client.setServerId(ThreadLocalRandom.current().nextLong(1_000_000_000L, 4_000_000_000L));
        client.setBlocking(false);
        client.setKeepAlive(false);
        client.setBinlogFilename(file);
        client.setBinlogPosition(4);
        String[] current = {file};
        boolean[] stopped = {false};
        client.registerEventListener(event -> {
            if (stopped[0]) {
                return;
            }
            EventHeaderV4 header = event.getHeader();
            if (header.getEventType() == EventType.ROTATE) {
                current[0] = ((com.github.shyiko.mysql.binlog.event.RotateEventData) event.getData()).getBinlogFilename();
                return;
            }
            if (seen.stop(current[0], header)) {
                stopped[0] = true;
                try {
                    client.disconnect();
                } catch (IOException e) {
                    // the scan is over either way
                }
            }
        });
        client.connect();
    }
}
