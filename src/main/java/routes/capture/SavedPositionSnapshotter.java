package routes.capture;

import io.debezium.bean.StandardBeanNames;
import io.debezium.pipeline.spi.OffsetContext;
import io.debezium.pipeline.spi.Offsets;
import io.debezium.schema.DatabaseSchema;
import io.debezium.schema.HistorizedDatabaseSchema;
import io.debezium.snapshot.mode.InitialSnapshotter;

/**
 * Debezium's {@code initial} snapshot mode for binlog sources, plus one case: the chunked full load saved a binlog
 * position (its watermark) but no schema history. Debezium's own initial mode would then refuse to start ("the db
 * history topic is missing"); this one reads the tables' current structure (no rows) and streams from the saved
 * position, as Debezium's {@code recovery} mode does. The full load checks that no captured table changed structure
 * while it ran, so the structure read now is the one the log has after the watermark.
 */
public class SavedPositionSnapshotter extends InitialSnapshotter {

    /** The value of {@code snapshot.mode.custom.name} that selects this mode. */
    public static final String NAME = "realtime_sync_initial";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean shouldSnapshotSchema(boolean offsetExists, boolean snapshotInProgress) {
        return super.shouldSnapshotSchema(offsetExists, snapshotInProgress) || startsFromSavedPositionWithoutHistory();
    }

    @Override
    public boolean shouldSnapshotOnSchemaError() {
        // Debezium asks this before it knows the history is missing, and refuses to start without any offset when it is
        // true: so only a saved position may recover its schema.
        return savedPosition() != null;
    }

    @Override
    public boolean shouldStreamEventsStartingFromSnapshot() {
        // Stream from the saved watermark, not from wherever the log is when the structure is read.
        return !startsFromSavedPositionWithoutHistory();
    }

    private boolean startsFromSavedPositionWithoutHistory() {
        OffsetContext offset = savedPosition();
        if (offset == null || offset.isInitialSnapshotRunning()) {
            return false;
        }
        DatabaseSchema<?> schema = beanRegistry.lookupByName(StandardBeanNames.DATABASE_SCHEMA, DatabaseSchema.class);
        return schema instanceof HistorizedDatabaseSchema<?> historized && !historized.getSchemaHistory().exists();
    }

    private OffsetContext savedPosition() {
        Offsets<?, ?> offsets = beanRegistry.lookupByName(StandardBeanNames.OFFSETS, Offsets.class);
        return offsets == null || offsets.getOffsets().isEmpty() ? null : offsets.getTheOnlyOffset();
    }
}
