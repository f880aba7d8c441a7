package routes.sink.dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JDBC plumbing the dialects share: their SQL differs, the way they run it does not. */
final class Jdbc {

    private Jdbc() {
    }

    /** The first column of every row, as text. */
    static List<String> strings(Connection connection, String sql, Object... params) throws SQLException {
        List<String> values = new ArrayList<>();
        try (PreparedStatement statement = prepared(connection, sql, params); ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    /** The first two columns of every row, as a map in row order. */
    static Map<String, String> pairs(Connection connection, String sql, Object... params) throws SQLException {
        Map<String, String> values = new LinkedHashMap<>();
        try (PreparedStatement statement = prepared(connection, sql, params); ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                values.put(rs.getString(1), rs.getString(2));
            }
        }
        return values;
    }

    /** Whether the query returns a row. */
    static boolean exists(Connection connection, String sql, Object... params) throws SQLException {
        try (PreparedStatement statement = prepared(connection, sql, params); ResultSet rs = statement.executeQuery()) {
            return rs.next();
        }
    }

    static int update(Connection connection, String sql, Object... params) throws SQLException {
        try (PreparedStatement statement = prepared(connection, sql, params)) {
            return statement.executeUpdate();
        }
    }

    /** Statements without parameters (DDL), in order. */
    static void execute(Connection connection, String... statements) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static PreparedStatement prepared(Connection connection, String sql, Object... params) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            return statement;
        } catch (SQLException e) {
            statement.close();
            throw e;
        }
    }
}
