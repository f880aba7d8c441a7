package routes.change;

import java.util.Locale;

/**
 * What the source did to a row: a full-load read, or an insert, update or delete captured from the log. Row rules
 * (DML filters, the {@code ${operation}} value) need this finer view than {@link Operation}'s upsert or delete.
 */
public enum SourceOperation {
    FULL_LOAD,
    INSERT,
    UPDATE,
    DELETE;

    /** Debezium's op codes: r(ead, full load or snapshot), c(reate), u(pdate) and d(elete). */
    public static SourceOperation fromDebezium(String op) {
        return switch (op) {
            case "r" -> FULL_LOAD;
            case "c" -> INSERT;
            case "u" -> UPDATE;
            case "d" -> DELETE;
            default -> throw new IllegalArgumentException("Unknown Debezium operation '" + op + "'");
        };
    }

    /** The name task settings use: full_load, insert, update or delete. */
    public String settingName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
