package routes.state;

/**
 * Where a task writes one column of a source table (seed 001's mapping preview): the source column and its type as
 * the source's catalog writes it, and the target column and the type the task creates it with (the sink's
 * typeMapping included). A source column the target is left without has no target; a column only the target has
 * (identity columns of merge mode, assigned columns) has no source.
 */
public record ColumnMapping(String sourceColumn, String sourceType, String targetColumn, String targetType) {
}
