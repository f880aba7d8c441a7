package routes.it;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * A table's rows as text that compares equal across engines when the values are equal: decimals in plain form,
 * timestamps to the microsecond, booleans as 1/0, JSON with its keys sorted and no spaces, arrays by their elements.
 */
final class CanonicalRows {

    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
    private static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private CanonicalRows() {
    }

    /** Rows ordered by the given SQL ORDER BY; {@code jsonColumns} are compared as JSON values. */
    static List<String> of(Connection connection, String table, String orderBy, Set<String> jsonColumns) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table + " ORDER BY " + orderBy)) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.append(i > 1 ? "|" : "").append(value(rs, i, meta.getColumnType(i), meta.getColumnTypeName(i),
                            jsonColumns.contains(meta.getColumnName(i))));
                }
                rows.add(row.toString());
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState()) || e.getErrorCode() == 1146) {
                return List.of("missing");
            }
            throw e;
        }
        return rows;
    }

    private static String value(ResultSet rs, int i, int type, String typeName, boolean json) throws SQLException {
        if (rs.getObject(i) == null) {
            return "\\N";
        }
        if (json) {
            try {
                return JSON.writeValueAsString(JSON.readValue(rs.getString(i), Object.class));
            } catch (Exception e) {
                throw new SQLException("not JSON: " + rs.getString(i), e);
            }
        }
        if (type == Types.ARRAY) {
            return java.util.Arrays.toString((Object[]) rs.getArray(i).getArray());
        }
        if ("timestamptz".equalsIgnoreCase(typeName) || "TIMESTAMP WITH TIME ZONE".equalsIgnoreCase(typeName)) {
            // compared as the UTC wall-clock time, the form a MySQL TIMESTAMP read in a UTC session has
            return rs.getObject(i, java.time.OffsetDateTime.class).withOffsetSameInstant(java.time.ZoneOffset.UTC).toLocalDateTime().format(MICROS);
        }
        if (type == Types.TIME || "interval".equalsIgnoreCase(typeName)) {
            return durationMicros(rs.getString(i));
        }
        return switch (type) {
            case Types.BIT, Types.BOOLEAN -> rs.getBoolean(i) ? "1" : "0";
            // as the binary value each engine stores, not its shortest decimal text (MariaDB shows FLOAT with 6 digits)
            case Types.REAL, Types.FLOAT -> String.valueOf(rs.getFloat(i));
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> java.util.HexFormat.of().formatHex(rs.getBytes(i));
            case Types.DECIMAL, Types.NUMERIC -> rs.getBigDecimal(i).toPlainString();
            case Types.TIMESTAMP -> rs.getObject(i, LocalDateTime.class).format(MICROS);
            default -> rs.getString(i);
        };
    }

    /** MySQL TIME and PostgreSQL interval text ([-]H:MM:SS[.fraction]) as a signed count of microseconds. */
    private static String durationMicros(String text) {
        boolean negative = text.startsWith("-");
        String[] hms = (negative ? text.substring(1) : text).split(":");
        String[] secondParts = hms[2].split("\\.");
        String fraction = secondParts.length > 1 ? (secondParts[1] + "000000").substring(0, 6) : "0";
        long micros = ((Long.parseLong(hms[0]) * 60 + Long.parseLong(hms[1])) * 60 + Long.parseLong(secondParts[0])) * 1_000_000L
                + Long.parseLong(fraction);
        return "dur:" + (negative ? -micros : micros);
    }

    /** Opens a connection to one side. */
    interface Side {
        Connection open() throws SQLException;
    }

    /**
     * Waits until every table (name -> {source table, target table, ORDER BY}) holds the same rows on both sides;
     * returns what still differs at the deadline. Gives up at once if the sync process ended.
     */
    static Map<String, Object> awaitSame(SyncProcess sync, Side source, Side target, Map<String, String[]> tables,
            Set<String> jsonColumns, java.time.Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!sync.isAlive()) {
                throw new AssertionError("The sync process ended:\n" + sync.output());
            }
            Map<String, Object> differences = new java.util.LinkedHashMap<>();
            try (Connection s = source.open(); Connection t = target.open()) {
                for (Map.Entry<String, String[]> table : tables.entrySet()) {
                    String[] names = table.getValue();
                    Map<String, Object> diff = diff(of(s, names[0], names[2], jsonColumns), of(t, names[1], names[2], jsonColumns));
                    if (!diff.isEmpty()) {
                        differences.put(table.getKey(), diff);
                    }
                }
            }
            if (differences.isEmpty() || System.nanoTime() > deadline) {
                return differences;
            }
            Thread.sleep(500);
        }
    }

    static Map<String, Object> diff(List<String> expected, List<String> actual) {
        if (expected.equals(actual)) {
            return Map.of();
        }
        int shown = 0;
        List<String> firstDifferences = new ArrayList<>();
        for (int i = 0; i < Math.max(expected.size(), actual.size()) && shown < 3; i++) {
            String e = i < expected.size() ? expected.get(i) : "-";
            String a = i < actual.size() ? actual.get(i) : "-";
            if (!e.equals(a)) {
                firstDifferences.add("source " + e + " / target " + a);
                shown++;
            }
        }
        return Map.of("sourceRows", expected.size(), "targetRows", actual.size(), "first", firstDifferences);
    }
}
