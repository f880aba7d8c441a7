package routes.change;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a change sits in its source's log: the one place positions are read (from Debezium's source information and
 * offsets, and from their printed form) and printed. The printed form ({@link #toString()}) is what labels, Kafka
 * records and dead-letter entries carry: {@code lsn:LSN}, {@code binlog:FILE:POS:ORDINAL}, {@code read:TABLE:[KEY]}.
 */
public sealed interface SourcePosition {

    /**
     * A PostgreSQL log sequence number: one per change.
     *
     * @param value the LSN as one number (Debezium's {@code lsn}; PostgreSQL writes it as two hex halves, {@code 0/16B3748})
     */
    record Lsn(long value) implements SourcePosition {

        /** PostgreSQL's text form of an LSN ({@code pg_lsn}): two hex numbers, the high and low 32 bits. */
        public static Lsn parse(String text) {
            int slash = text.indexOf('/');
            if (slash < 0) {
                throw new IllegalArgumentException("'" + text + "' is not an LSN (PostgreSQL writes one as 0/16B3748)");
            }
            return new Lsn((Long.parseLong(text.substring(0, slash), 16) << 32) | Long.parseLong(text.substring(slash + 1), 16));
        }

        /** PostgreSQL's text form, {@code 0/16B3748}. */
        public String text() {
            return Long.toHexString(value >>> 32).toUpperCase() + "/" + Long.toHexString(value & 0xFFFF_FFFFL).toUpperCase();
        }

        /** Debezium's PostgreSQL offset that starts streaming here. */
        public Map<String, Object> offset() {
            Map<String, Object> offset = new LinkedHashMap<>();
            offset.put("lsn", value);
            return offset;
        }

        @Override
        public String toString() {
            return "lsn:" + value;
        }
    }

    /**
     * A place in a MySQL-family binlog.
     *
     * @param file     the binlog file, e.g. {@code mysql-bin.000042}
     * @param position the offset in the file of the transaction's start, which the changes of one transaction share
     * @param gtids    the GTID set executed before this place, where known (a watermark's; a change carries none)
     * @param ordinal  the change's number within its transaction (Debezium's row within its event, until
     *                 {@code TransactionOrdinals} numbers the changes of the transaction one by one)
     */
    record Binlog(String file, long position, String gtids, long ordinal) implements SourcePosition {

        /** The file's sequence number: {@code mysql-bin.000042} is 42. */
        public long fileNumber() {
            return Long.parseLong(file.substring(file.lastIndexOf('.') + 1));
        }

        /** Whether both places are in the same transaction. */
        public boolean sameTransaction(Binlog other) {
            return other != null && file.equals(other.file) && position == other.position;
        }

        /** The change of this transaction with the given number. */
        public Binlog withOrdinal(long number) {
            return new Binlog(file, position, gtids, number);
        }

        /** Debezium's MySQL/MariaDB offset that starts reading the log here (its GTID set empty when unknown). */
        public Map<String, Object> offset() {
            Map<String, Object> offset = new LinkedHashMap<>();
            offset.put("file", file);
            offset.put("pos", position);
            offset.put("gtids", gtids == null ? "" : gtids);
            return offset;
        }

        @Override
        public String toString() {
            return "binlog:" + file + ":" + position + ":" + ordinal;
        }
    }

    /** A row read by the full load: one per table and key, as the full load reads each row once. */
    record FullLoadRow(TableId table, List<Object> key) implements SourcePosition {

        @Override
        public String toString() {
            return "read:" + table + ":" + key;
        }
    }

    /**
     * A change no source log holds, which a writer makes itself (a retraction, a schema statement's row, a record of a
     * refused row): the text says what it is.
     */
    record Marker(String text) implements SourcePosition {

        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * The place of a captured change from Debezium's source information: PostgreSQL gives each change its own LSN; a
     * binlog change is its file, the position of its transaction and its row within its event (Debezium's source
     * information has no event number).
     */
    static SourcePosition ofSourceInfo(Map<String, ?> source) {
        if ("postgresql".equals(source.get("connector"))) {
            return new Lsn(((Number) source.get("lsn")).longValue());
        }
        Object row = source.get("row");
        return new Binlog(String.valueOf(source.get("file")), ((Number) source.get("pos")).longValue(), null,
                row == null ? 0 : ((Number) row).longValue());
    }

    /** The binlog place a Debezium offset (its keys {@code file}, {@code pos}, {@code gtids}) resumes from, else null. */
    static Binlog ofBinlogOffset(Map<?, ?> offset) {
        if (offset.get("file") == null || offset.get("pos") == null) {
            return null;
        }
        Object gtids = offset.get("gtids");
        return new Binlog(offset.get("file").toString(), Long.parseLong(offset.get("pos").toString()), gtids == null ? null : gtids.toString(), 0);
    }

    /** The printed form read back: {@code lsn:} and {@code binlog:} places; any other text is a {@link Marker}. */
    static SourcePosition parse(String text) {
        Matcher lsn = PrintedForms.LSN.matcher(text);
        if (lsn.matches()) {
            return new Lsn(Long.parseLong(lsn.group(1)));
        }
        Matcher binlog = PrintedForms.BINLOG.matcher(text);
        if (binlog.matches()) {
            return new Binlog(binlog.group(1), Long.parseLong(binlog.group(2)), null, Long.parseLong(binlog.group(3)));
        }
        return new Marker(text);
    }

    /** The printed forms of places in the log. */
    final class PrintedForms {
        static final Pattern LSN = Pattern.compile("lsn:(\\d+)");
        static final Pattern BINLOG = Pattern.compile("binlog:(.+):(\\d+):(\\d+)");

        private PrintedForms() {
        }
    }
}
