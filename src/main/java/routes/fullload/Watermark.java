package routes.fullload;

import java.util.List;
import java.util.Map;

/**
 * Where the change stream starts once the full load is done.
 *
 * @param offsets       the capture engine's offsets at that position (offset key JSON -> value JSON)
 * @param schemaHistory the captured tables' structure at that position, as the capture engine's schema history records
 *                      (binlog sources; empty where the engine keeps none), so that the engine decodes the log from
 *                      there with the structure the log had then
 */
public record Watermark(Map<String, String> offsets, List<String> schemaHistory) {
}
