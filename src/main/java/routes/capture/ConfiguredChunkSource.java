package routes.capture;

import java.util.Map;

import routes.fullload.ChunkSource;
import routes.schema.TableSchema;

/** A chunk source whose split keys, chunk size, parallelism and skipped tables come from the task's source settings. */
abstract class ConfiguredChunkSource implements ChunkSource {

    /** The settings the Debezium connector receives (see {@link FullLoadSettings}). */
    protected final Map<String, String> config;

    ConfiguredChunkSource(Map<String, String> config) {
        this.config = config;
    }

    @Override
    public String splitKey(TableSchema table) {
        return FullLoadSettings.splitKey(config, table);
    }

    @Override
    public long chunkRows() {
        return FullLoadSettings.chunkRows(config);
    }

    @Override
    public int parallelism() {
        return FullLoadSettings.parallelism(config);
    }

    @Override
    public boolean skips(TableSchema table) {
        return FullLoadSettings.skips(config, table.id());
    }
}
