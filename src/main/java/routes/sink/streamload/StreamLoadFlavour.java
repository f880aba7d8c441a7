package routes.sink.streamload;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What differs between the Stream Load targets: how a row says "delete me", how a load says "only these columns",
 * which table model keeps one row per key, and which names the target accepts. SelectDB speaks Doris's protocol.
 */
public enum StreamLoadFlavour {

    /** Apache Doris and SelectDB: unique-key tables, deletes through the hidden delete-sign column. */
    DORIS("__DORIS_DELETE_SIGN__", "UNIQUE KEY", Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}")),
    /** StarRocks: primary-key tables, deletes through the load's {@code __op} field (0 upsert, 1 delete). */
    STARROCKS("__op", "PRIMARY KEY", Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,1023}"));

    /** The field each JSON row carries: 1 deletes the row with that key, 0 upserts it. */
    final String deleteField;
    /** The key clause of the table model that keeps the last row per key. */
    final String keyModel;
    /** Table names the target's default configuration accepts (Doris without unicode names, StarRocks). */
    private final Pattern tableName;

    StreamLoadFlavour(String deleteField, String keyModel, Pattern tableName) {
        this.deleteField = deleteField;
        this.keyModel = keyModel;
        this.tableName = tableName;
    }

    public static StreamLoadFlavour of(String name) {
        return switch (name == null ? "" : name.trim().toLowerCase(Locale.ROOT)) {
            case "doris", "selectdb" -> DORIS;
            case "starrocks" -> STARROCKS;
            default -> throw new IllegalArgumentException("No Stream Load target named '" + name + "' (known: doris, selectdb, starrocks)");
        };
    }

    /**
     * The headers that let rows carry the delete field. Doris reads the hidden column by name once it is declared;
     * StarRocks reads {@code __op} only when the load lists its columns.
     */
    Map<String, String> deleteHeaders(List<String> columns) {
        if (this == DORIS) {
            return Map.of("hidden_columns", deleteField);
        }
        return Map.of("columns", String.join(",", columns) + "," + deleteField);
    }

    /** The header that makes a load update only the columns its rows carry (the others keep their values). */
    String partialUpdateHeader() {
        return this == DORIS ? "partial_columns" : "partial_update";
    }

    /** Why the target cannot hold a table of this name, or null when it can. */
    String refusedTableName(String name) {
        if (!tableName.matcher(name).matches()) {
            return "the name '" + name + "' is not a valid " + displayName() + " table name (" + (this == DORIS
                    ? "a letter, then letters, digits, '_' or '-', at most 64 characters"
                    : "a letter or '_', then letters, digits or '_'") + "); give it another name with targetTable";
        }
        return null;
    }

    /** Why the target cannot hold a column of this name, or null when it can. */
    String refusedColumnName(String name) {
        if (name.isEmpty() || name.length() > 255 || name.contains("`") || name.chars().anyMatch(Character::isISOControl)) {
            return "the column name '" + name + "' cannot be a " + displayName() + " column name (empty, longer than 255 "
                    + "characters, or holding a backtick or control character)";
        }
        if (this == STARROCKS && (name.contains(",") || !name.strip().equals(name))) {
            return "the column name '" + name + "' cannot be listed in a StarRocks load's columns header (a comma, or "
                    + "spaces around it)";
        }
        if (name.toUpperCase(Locale.ROOT).startsWith("__DORIS_") || name.equalsIgnoreCase("__op")) {
            return "the column name '" + name + "' is reserved by " + displayName();
        }
        return null;
    }

    String displayName() {
        return this == DORIS ? "Doris" : "StarRocks";
    }
}
