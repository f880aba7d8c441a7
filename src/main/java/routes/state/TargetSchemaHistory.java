package routes.state;

import java.io.IOException;
import java.util.function.Consumer;

import io.debezium.config.Configuration;
import io.debezium.document.DocumentReader;
import io.debezium.document.DocumentWriter;
import io.debezium.relational.history.AbstractSchemaHistory;
import io.debezium.relational.history.HistoryRecord;
import io.debezium.relational.history.HistoryRecordComparator;
import io.debezium.relational.history.SchemaHistoryException;
import io.debezium.relational.history.SchemaHistoryListener;

/**
 * Debezium's schema history for binlog sources, kept in the task's target next to the offsets and written in the
 * same transaction as the rows: after a crash, history and position agree, and a machine change loses nothing
 * (a history file on local disk would).
 */
public class TargetSchemaHistory extends AbstractSchemaHistory {

    /**
     * Debezium property (passed as additionalProperties) naming the task whose target holds the history; the task
     * itself is found by its key ({@link TaskHandover}).
     */
    public static final String TASK_PROPERTY = CONFIGURATION_FIELD_PREFIX_STRING + "realtimesync.task";

    private final DocumentWriter writer = DocumentWriter.defaultWriter();
    private final DocumentReader reader = DocumentReader.defaultReader();
    private String task;
    private String key;
    private TaskSink sink;

    @Override
    public void configure(Configuration config, HistoryRecordComparator comparator, SchemaHistoryListener listener,
            boolean useCatalogBeforeSchema) {
        super.configure(config, comparator, listener, useCatalogBeforeSchema);
        task = config.getString(TASK_PROPERTY);
        key = config.getString(TaskHandover.SCHEMA_HISTORY_KEY);
        if (task == null || task.isBlank()) {
            throw new IllegalArgumentException("Debezium property " + TASK_PROPERTY + " must name the task");
        }
    }

    @Override
    public void start() {
        super.start();
        try {
            sink = TaskHandover.find(key).awaitWriter(60);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new SchemaHistoryException(e.getMessage(), e);
        }
    }

    @Override
    protected void storeRecord(HistoryRecord record) {
        try {
            sink.appendSchemaHistory(writer.write(record.document()));
        } catch (Exception e) {
            throw new SchemaHistoryException("Cannot store schema history in the target: " + e.getMessage(), e);
        }
    }

    @Override
    protected void recoverRecords(Consumer<HistoryRecord> records) {
        for (String record : sink.schemaHistory()) {
            try {
                records.accept(new HistoryRecord(reader.read(record)));
            } catch (IOException e) {
                throw new SchemaHistoryException("Unreadable schema history record of task " + task, e);
            }
        }
    }

    @Override
    public boolean storageExists() {
        return true;
    }

    @Override
    public boolean exists() {
        return sink != null && !sink.schemaHistory().isEmpty();
    }

    @Override
    public String toString() {
        return "target tables of task " + task;
    }
}
