package routes.state;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.regex.Pattern;

import routes.change.SourcePosition;

/**
 * Where an operator asks a task to start reading its source ({@code run --start-from X}, or {@code {"from": X}} in
 * the API's start), instead of its committed position: a one-time instruction (docs/start-positions.md). Its text
 * form ({@link #toString()}) is what the operator wrote, normalised.
 */
public sealed interface StartPosition {

    /** The command line's option. */
    String OPTION = "--start-from";

    String EXAMPLES = "latest, initial, lsn:0/16B3748 (PostgreSQL), binlog:mysql-bin.000003:4, gtid:0-1-42 or "
            + "timestamp:2026-12-01T10:00:00Z (MySQL family)";

    /** Whether the position means something on a PostgreSQL source (true) or a MySQL-family one (false). */
    boolean suits(boolean postgres);

    /** The source's current end: no full load, changes from now on. */
    record Latest() implements StartPosition {
        public boolean suits(boolean postgres) {
            return true;
        }

        @Override
        public String toString() {
            return "latest";
        }
    }

    /** A full load of every table, then its changes. */
    record Initial() implements StartPosition {
        public boolean suits(boolean postgres) {
            return true;
        }

        @Override
        public String toString() {
            return "initial";
        }
    }

    /** A PostgreSQL LSN: the changes of the transactions committed after it. */
    record Lsn(SourcePosition.Lsn lsn) implements StartPosition {
        public boolean suits(boolean postgres) {
            return postgres;
        }

        @Override
        public String toString() {
            return "lsn:" + lsn.text();
        }
    }

    /** A place in a MySQL-family binlog (the start of an event): the transactions from there on. */
    record BinlogFile(String file, long position) implements StartPosition {
        public boolean suits(boolean postgres) {
            return !postgres;
        }

        @Override
        public String toString() {
            return "binlog:" + file + ":" + position;
        }
    }

    /** A GTID set: the transactions not in it. */
    record GtidSet(String gtids) implements StartPosition {
        public boolean suits(boolean postgres) {
            return !postgres;
        }

        @Override
        public String toString() {
            return "gtid:" + gtids;
        }
    }

    /** A moment: the first binlog transaction at or after it. */
    record Timestamp(Instant at) implements StartPosition {
        public boolean suits(boolean postgres) {
            return !postgres;
        }

        @Override
        public String toString() {
            return "timestamp:" + at;
        }
    }

    /** The position {@code text} names; throws with the line to show when it names none. */
    static StartPosition parse(String text) {
        String value = text == null ? "" : text.trim();
        int colon = value.indexOf(':');
        String kind = colon < 0 ? value : value.substring(0, colon);
        String rest = colon < 0 ? "" : value.substring(colon + 1).trim();
        try {
            switch (kind) {
                case "latest":
                    if (colon < 0) {
                        return new Latest();
                    }
                    break;
                case "initial":
                    if (colon < 0) {
                        return new Initial();
                    }
                    break;
                case "lsn":
                    if (Forms.LSN.matcher(rest).matches()) {
                        return new Lsn(SourcePosition.Lsn.parse(rest));
                    }
                    break;
                case "binlog":
                    int last = rest.lastIndexOf(':');
                    if (last > 0 && Forms.FILE.matcher(rest.substring(0, last)).matches() && rest.substring(last + 1).matches("\\d{1,18}")) {
                        return new BinlogFile(rest.substring(0, last), Long.parseLong(rest.substring(last + 1)));
                    }
                    break;
                case "gtid":
                    if (Forms.GTIDS.matcher(rest).matches()) {
                        return new GtidSet(rest.replaceAll("\\s", ""));
                    }
                    break;
                case "timestamp":
                    return new Timestamp(OffsetDateTime.parse(rest).toInstant());
                default:
                    break;
            }
        } catch (DateTimeException | IllegalArgumentException e) {
            // said below
        }
        String hint = kind.equals("timestamp") ? " (an ISO-8601 time with its zone, e.g. timestamp:2026-12-01T10:00:00Z)" : "";
        throw new IllegalArgumentException(OPTION + " " + (value.isEmpty() ? "needs a value" : "'" + value + "' is not a start position" + hint)
                + ": use " + EXAMPLES);
    }

    /** The accepted forms of the values. */
    final class Forms {
        static final Pattern LSN = Pattern.compile("[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}");
        static final Pattern FILE = Pattern.compile("[A-Za-z0-9_.-]+\\.\\d+");
        /** MariaDB's domain-server-sequence triples, or MySQL's uuid:interval lists, comma separated. */
        static final Pattern GTIDS = Pattern.compile("(\\d+-\\d+-\\d+|[0-9A-Fa-f-]{36}(:\\d+(-\\d+)?)+)(\\s*,\\s*(\\d+-\\d+-\\d+|[0-9A-Fa-f-]{36}(:\\d+(-\\d+)?)+))*");

        private Forms() {
        }
    }

    /**
     * A start position asked for, and whether the command line asked (it is applied once: a later run with the same
     * option resumes from the committed position) or an operator through the API (applied each time asked).
     */
    record Request(StartPosition position, boolean commandLine) {
    }
}
