package routes.capture;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import io.debezium.config.Configuration;
import io.debezium.connector.mariadb.antlr.MariaDbAntlrDdlParser;
import io.debezium.connector.mariadb.charset.MariaDbCharsetRegistry;
import io.debezium.connector.mysql.antlr.MySqlAntlrDdlParser;
import io.debezium.connector.mysql.charset.MySqlCharsetRegistry;
import io.debezium.document.Document;
import io.debezium.document.DocumentReader;
import io.debezium.relational.Tables;
import io.debezium.relational.history.AbstractSchemaHistory;
import io.debezium.relational.history.HistoryRecord;
import io.debezium.relational.history.HistoryRecordComparator;
import io.debezium.relational.history.SchemaHistory;
import io.debezium.relational.history.SchemaHistoryException;
import io.debezium.relational.history.SchemaHistoryListener;

import routes.change.TableId;

/**
 * The tables a binlog capture's schema history describes, recovered from its records with Debezium's own recovery and
 * DDL parser, as the capture itself recovers them at its start. A table the history lacks is unknown to the capture:
 * its first change would stop it ("whose schema isn't known to this connector").
 */
final class SchemaHistoryTables {

    private SchemaHistoryTables() {
    }

    /** The tables {@code records} (Debezium history records as JSON, oldest first) leave the capture knowing. */
    static Set<TableId> known(List<String> records, Map<String, ?> partition, boolean mariaDb) {
        Tables tables = new Tables();
        Recovery recovery = new Recovery(records);
        recovery.configure(Configuration.create().with(SchemaHistory.SKIP_UNPARSEABLE_DDL_STATEMENTS, true).build(),
                new EveryRecord(), SchemaHistoryListener.NOOP, true);
        try {
            // As the connectors build their parsers, with their own character sets (the parser needs them for CHARSET clauses).
            recovery.recover(Map.of(partition, Map.of()), tables, mariaDb
                    ? new MariaDbAntlrDdlParser(true, false, false, Tables.TableFilter.includeAll(), new MariaDbCharsetRegistry())
                    : new MySqlAntlrDdlParser(true, false, false, Tables.TableFilter.includeAll(), new MySqlCharsetRegistry()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading the schema history", e);
        }
        return tables.tableIds().stream().map(id -> new TableId(id.catalog(), id.table())).collect(Collectors.toSet());
    }

    /** Debezium's recovery over records already read. */
    private static final class Recovery extends AbstractSchemaHistory {

        private final List<String> records;

        Recovery(List<String> records) {
            this.records = records;
        }

        @Override
        protected void storeRecord(HistoryRecord record) {
            throw new UnsupportedOperationException("read only");
        }

        @Override
        protected void recoverRecords(Consumer<HistoryRecord> consumer) {
            DocumentReader reader = DocumentReader.defaultReader();
            for (String record : records) {
                try {
                    consumer.accept(new HistoryRecord(reader.read(record)));
                } catch (IOException e) {
                    throw new SchemaHistoryException("Unreadable schema history record", e);
                }
            }
        }

        @Override
        public boolean exists() {
            return true;
        }

        @Override
        public boolean storageExists() {
            return true;
        }
    }

    /** Every record counts: a table the history records at all is one the capture can learn. */
    private static final class EveryRecord extends HistoryRecordComparator {
        @Override
        protected boolean isPositionAtOrBefore(Document recorded, Document desired) {
            return true;
        }
    }
}
