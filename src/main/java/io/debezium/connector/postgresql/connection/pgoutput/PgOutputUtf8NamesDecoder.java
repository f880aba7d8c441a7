/*
 * Copyright Debezium Authors.
 *
 * Licensed under the Apache Software License version 2.0, available at http://www.apache.org/licenses/LICENSE-2.0
 */
package io.debezium.connector.postgresql.connection.pgoutput;

import static java.util.stream.Collectors.toMap;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.debezium.DebeziumException;
import io.debezium.connector.postgresql.PostgresType;
import io.debezium.connector.postgresql.TypeRegistry;
import io.debezium.connector.postgresql.connection.MessageDecoderContext;
import io.debezium.connector.postgresql.connection.PostgresConnection;
import io.debezium.connector.postgresql.connection.ReplicationStream.ReplicationMessageProcessor;
import io.debezium.relational.ColumnEditor;
import io.debezium.relational.Table;
import io.debezium.relational.TableId;
import io.debezium.util.Strings;

/**
 * Debezium 3.4's pgoutput decoder, except that schema, table and column names in relation messages are read as
 * UTF-8. Debezium 3.4's {@code PgOutputMessageDecoder.readString} appends each byte as {@code (char) byte}, so a
 * non-ASCII name ({@code "Größe"}, {@code "编号"}) arrives mangled, its columns' primary key and optionality are then
 * looked up under the mangled name and not found, and the table streams without its key, or with part of it.
 * Debezium 3.5.0 reads these names as UTF-8 itself; until the project moves to it, this class replaces Debezium's
 * decoder ({@code routes.capture.PostgresSourceTask} installs it).
 *
 * <p>Only the relation message ('R') is handled here, by a copy of Debezium 3.4.0's {@code handleRelationMessage},
 * {@code isColumnInPrimaryKey} and {@code resolveRelationFromMetadata} (private there, unchanged up to 3.6.1) with the
 * UTF-8 {@code readString} of Debezium 3.5. Every other message goes to Debezium's decoder. The class lives in
 * Debezium's package for {@link ColumnMetaData}'s and {@link PgOutputRelationMetaData}'s package-private constructors.
 */
public class PgOutputUtf8NamesDecoder extends PgOutputMessageDecoder {

    private static final Logger LOGGER = LoggerFactory.getLogger(PgOutputUtf8NamesDecoder.class);
    private static final byte RELATION = 'R';

    private final MessageDecoderContext decoderContext;
    private final PostgresConnection connection;

    public PgOutputUtf8NamesDecoder(MessageDecoderContext decoderContext, PostgresConnection connection) {
        super(decoderContext, connection);
        this.decoderContext = decoderContext;
        this.connection = connection;
    }

    @Override
    public void processNotEmptyMessage(ByteBuffer buffer, ReplicationMessageProcessor processor, TypeRegistry typeRegistry)
            throws SQLException, InterruptedException {
        if (buffer.get(buffer.position()) == RELATION) {
            buffer.get();
            handleRelationMessage(buffer, typeRegistry);
        }
        else {
            super.processNotEmptyMessage(buffer, processor, typeRegistry);
        }
    }

    /** Debezium 3.4.0's handler for the 'R' relation message; only its {@link #readString} differs. */
    private void handleRelationMessage(ByteBuffer buffer, TypeRegistry typeRegistry) throws SQLException {
        int relationId = buffer.getInt();
        String schemaName = readString(buffer);
        String tableName = readString(buffer);
        int replicaIdentityId = buffer.get();
        short columnCount = buffer.getShort();

        LOGGER.trace("Event: {}, RelationId: {}, Replica Identity: {}, Columns: {}", MessageType.RELATION, relationId, replicaIdentityId, columnCount);
        LOGGER.trace("Schema: '{}', Table: '{}'", schemaName, tableName);

        // Perform several out-of-bands database metadata queries
        Map<String, Optional<String>> columnDefaults;
        Map<String, Boolean> columnOptionality;
        List<String> primaryKeyColumns;

        final DatabaseMetaData databaseMetadata = connection.connection().getMetaData();
        final TableId tableId = new TableId(null, schemaName, tableName);

        final List<io.debezium.relational.Column> readColumns = connection.getTableColumnsForDecoder(
                tableId, decoderContext.getConfig().getColumnFilter());
        columnDefaults = readColumns.stream()
                .filter(io.debezium.relational.Column::hasDefaultValue)
                .collect(toMap(io.debezium.relational.Column::name, io.debezium.relational.Column::defaultValueExpression));

        columnOptionality = readColumns.stream().collect(toMap(io.debezium.relational.Column::name, io.debezium.relational.Column::isOptional));
        primaryKeyColumns = connection.readPrimaryKeyNames(databaseMetadata, tableId);
        if (primaryKeyColumns == null || primaryKeyColumns.isEmpty()) {
            LOGGER.warn("Primary keys are not defined for table '{}', defaulting to unique indices", tableName);
            primaryKeyColumns = connection.readTableUniqueIndices(databaseMetadata, tableId);
        }

        List<ColumnMetaData> columns = new ArrayList<>();
        Set<String> columnNames = new HashSet<>();
        Set<String> seenLowercaseColumnNames = new HashSet<>();
        for (short i = 0; i < columnCount; ++i) {
            byte flags = buffer.get();
            String columnName = Strings.unquoteIdentifierPart(readString(buffer));
            int columnType = buffer.getInt();
            int attypmod = buffer.getInt();

            if (!seenLowercaseColumnNames.add(columnName.toLowerCase())) {
                throw new DebeziumException(
                        String.format(
                                "Table '%s' has columns that differ only by case. " +
                                        "Column name: '%s'. " +
                                        "Debezium does not support case-sensitive duplicate column names as this causes data corruption. " +
                                        "Please rename one of the duplicate columns before running Debezium.",
                                tableId, columnName));
            }

            final PostgresType postgresType = typeRegistry.get(columnType);
            boolean key = isColumnInPrimaryKey(schemaName, tableName, columnName, primaryKeyColumns);

            Boolean optional = columnOptionality.get(columnName);
            if (optional == null) {
                if (decoderContext.getConfig().getColumnFilter().matches(tableId.catalog(), tableId.schema(), tableId.table(), columnName)) {
                    LOGGER.warn("Column '{}' optionality could not be determined, defaulting to true", columnName);
                }
                optional = true;
            }

            final boolean hasDefault = columnDefaults.containsKey(columnName);
            final String defaultValueExpression = columnDefaults.getOrDefault(columnName, Optional.empty()).orElse(null);

            columns.add(new ColumnMetaData(columnName, postgresType, key, optional, hasDefault, defaultValueExpression, attypmod));
            columnNames.add(columnName);
        }

        // Remove any PKs that do not exist as part of this relation message: the out-of-band primary key lookup may
        // already see a later schema change than the one this message describes (Debezium's comment, shortened).
        primaryKeyColumns.retainAll(columnNames);

        Table table = resolveRelationFromMetadata(new PgOutputRelationMetaData(relationId, schemaName, tableName, columns, primaryKeyColumns));
        decoderContext.getSchema().applySchemaChangesForTable(relationId, table);
    }

    /** Debezium 3.4.0's, unchanged. */
    private boolean isColumnInPrimaryKey(String schemaName, String tableName, String columnName, List<String> primaryKeyColumns) {
        if (!primaryKeyColumns.isEmpty() && primaryKeyColumns.contains(columnName)) {
            return true;
        }
        else if (primaryKeyColumns.isEmpty()) {
            // The table's metadata was either not fetched or table no longer has a primary key
            // Lets attempt to use the known schema primary key configuration as a fallback
            Table existingTable = decoderContext.getSchema().tableFor(new TableId(null, schemaName, tableName));
            if (existingTable != null && existingTable.primaryKeyColumnNames().contains(columnName)) {
                return true;
            }
        }
        return false;
    }

    /** Debezium 3.4.0's, unchanged. */
    private Table resolveRelationFromMetadata(PgOutputRelationMetaData metadata) {
        List<io.debezium.relational.Column> columns = new ArrayList<>();
        for (ColumnMetaData columnMetadata : metadata.getColumns()) {
            ColumnEditor editor = io.debezium.relational.Column.editor()
                    .name(columnMetadata.getColumnName())
                    .jdbcType(columnMetadata.getPostgresType().getRootType().getJdbcId())
                    .nativeType(columnMetadata.getPostgresType().getRootType().getOid())
                    .optional(columnMetadata.isOptional())
                    .type(columnMetadata.getPostgresType().getName(), columnMetadata.getTypeName())
                    .length(columnMetadata.getLength())
                    .scale(columnMetadata.getScale());

            if (columnMetadata.hasDefaultValue()) {
                editor.defaultValueExpression(columnMetadata.getDefaultValueExpression());
            }

            columns.add(editor.create());
        }

        Table table = Table.editor()
                .addColumns(columns)
                .setPrimaryKeyNames(metadata.getPrimaryKeyNames())
                .tableId(metadata.getTableId())
                .create();

        LOGGER.trace("Resolved '{}' as '{}'", table.id(), table);

        return table;
    }

    /**
     * The NUL-terminated string at the buffer's position, decoded as UTF-8 (the replication connection's client
     * encoding, which pgjdbc sets). This is the fix; Debezium 3.5's {@code readString} reads the same way.
     */
    static String readString(ByteBuffer buffer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte b;
        while ((b = buffer.get()) != 0) {
            bytes.write(b);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
