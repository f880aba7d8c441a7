package routes.change;

/** What a row change does to its key: after an UPSERT the row holds the new image, after a DELETE it is gone. */
public enum Operation {
    UPSERT,
    DELETE;

    /** Debezium's op codes: c(reate), r(ead, snapshot), u(pdate) and d(elete). */
    public static Operation fromDebezium(String op) {
        return switch (op) {
            case "c", "r", "u" -> UPSERT;
            case "d" -> DELETE;
            default -> throw new IllegalArgumentException("Unknown Debezium operation '" + op + "'");
        };
    }
}
