package routes.capture;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.debezium.DebeziumConstants;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

import routes.change.ChangeEvent;
import routes.change.ChangeKind;
import routes.change.Operation;
import routes.change.RowImage;
import routes.change.SourceOperation;
import routes.change.SourcePosition;
import routes.change.TableId;

/**
 * Turns a Debezium exchange (any source connector) into one {@link ChangeEvent} and tells routes what it is through
 * the {@link ChangeKind#HEADER} header, so the decision itself is a content-based router in the route.
 */
public class ChangeEventNormalizer implements Processor {

    /** Debezium's key schema of the records marking where a source transaction begins and ends. */
    private static final String TRANSACTION_MARKER_KEY = "io.debezium.connector.common.TransactionMetadataKey";

    private final AtomicLong sequence = new AtomicLong();

    /**
     * Column names of a row or key schema, repaired once per schema (Debezium reuses one schema object per table
     * version, so a row costs one identity check here instead of a name repair per column).
     */
    private record Columns(Schema schema, List<Field> fields, List<String> names) {
    }

    /** The source table of a key schema, with its header text, checked against each row's source metadata. */
    private record Table(Schema keySchema, String container, String name, TableId id, String text) {
    }

    private final Map<String, Columns> columns = new ConcurrentHashMap<>();
    private final Map<String, Table> tables = new ConcurrentHashMap<>();

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        Object topic = in.getHeader(DebeziumConstants.HEADER_IDENTIFIER);
        if (topic instanceof String name && name.startsWith("__debezium-heartbeat")) {
            in.setHeader(ChangeKind.HEADER, ChangeKind.HEARTBEAT.name());
            return;
        }
        if (in.getHeader(DebeziumConstants.HEADER_KEY) instanceof Struct marker && TRANSACTION_MARKER_KEY.equals(marker.schema().name())) {
            in.setHeader(ChangeKind.HEADER, ChangeKind.TRANSACTION.name());
            return;
        }
        if (in.getHeader(DebeziumConstants.HEADER_DDL_SQL) != null) {
            in.setHeader(ChangeKind.HEADER, ChangeKind.SCHEMA.name());
            return;
        }
        Object opHeader = in.getHeader(DebeziumConstants.HEADER_OPERATION);
        if (opHeader == null) {
            in.setHeader(ChangeKind.HEADER, ChangeKind.TOMBSTONE.name());
            return;
        }
        String op = opHeader.toString();
        @SuppressWarnings("unchecked")
        Map<String, Object> source = (Map<String, Object>) in.getHeader(DebeziumConstants.HEADER_SOURCE_METADATA);
        Object keyHeader = in.getHeader(DebeziumConstants.HEADER_KEY);
        Table table = tableOf(source, keyHeader instanceof Struct k ? k.schema() : null);
        in.setHeader(ChangeKind.TABLE_HEADER, table.text());
        if ("t".equals(op)) {
            in.setBody(table.id());
            in.setHeader(ChangeKind.HEADER, ChangeKind.TRUNCATE.name());
            return;
        }

        if (!(keyHeader instanceof Struct key)) {
            // Debezium sends no key for a table without a primary key (or replica identity).
            in.setHeader(ChangeKind.HEADER, ChangeKind.NO_KEY.name());
            return;
        }
        Operation operation = Operation.fromDebezium(op);
        Columns keyColumns = columnsOf(key.schema());
        Map<String, Object> keyValues = new LinkedHashMap<>(capacity(keyColumns.names().size()));
        for (int i = 0; i < keyColumns.fields().size(); i++) {
            Field field = keyColumns.fields().get(i);
            keyValues.put(keyColumns.names().get(i), DebeziumValues.toJava(field.schema(), key.getWithoutDefault(field.name())));
        }
        Map<String, Object> row;
        Set<String> unavailable = Set.of();
        if (operation == Operation.UPSERT) {
            Struct after = (Struct) in.getBody();
            Columns rowColumns = columnsOf(after.schema());
            row = new LinkedHashMap<>(capacity(rowColumns.names().size()));
            Set<String> missing = null;
            for (int i = 0; i < rowColumns.fields().size(); i++) {
                Field field = rowColumns.fields().get(i);
                // Struct.get gives a NULL column its schema's default (Debezium's reading of the source default, often
                // not even the right value): a row inserted with an explicit NULL holds NULL.
                Object raw = after.getWithoutDefault(field.name());
                String column = rowColumns.names().get(i);
                if (DebeziumValues.isUnavailable(raw)) {
                    if (missing == null) {
                        missing = new HashSet<>();
                    }
                    missing.add(column);
                } else {
                    row.put(column, DebeziumValues.toJava(field.schema(), raw));
                }
            }
            if (missing != null) {
                unavailable = Set.copyOf(missing);
            }
        } else {
            row = new LinkedHashMap<>();
        }
        SourceOperation sourceOperation = SourceOperation.fromDebezium(op);
        in.setBody(new ChangeEvent(table.id(), operation, keyColumns.names(), keyValues, row, unavailable,
                sequence.incrementAndGet(), sourceOperation, eventTime(source), beforeImage(in),
                sourceOperation == SourceOperation.FULL_LOAD ? ChangeEvent.fullLoadPosition(table.id(), keyValues)
                        : SourcePosition.ofSourceInfo(source)));
        in.setHeader(ChangeKind.HEADER, ChangeKind.ROW.name());
    }

    private RowImage beforeImage(Message in) {
        if (!(in.getHeader(DebeziumConstants.HEADER_BEFORE) instanceof Struct before)) {
            return RowImage.NONE;
        }
        return RowImage.lazy(() -> {
            Columns beforeColumns = columnsOf(before.schema());
            Map<String, Object> values = new LinkedHashMap<>(capacity(beforeColumns.names().size()));
            for (int i = 0; i < beforeColumns.fields().size(); i++) {
                Field field = beforeColumns.fields().get(i);
                Object raw = before.getWithoutDefault(field.name());
                if (!DebeziumValues.isUnavailable(raw)) {
                    values.put(beforeColumns.names().get(i), DebeziumValues.toJava(field.schema(), raw));
                }
            }
            return values;
        });
    }

    private static int capacity(int entries) {
        return entries * 4 / 3 + 1;
    }

    private Columns columnsOf(Schema schema) {
        String name = schema.name() == null ? "" : schema.name();
        Columns known = columns.get(name);
        if (known != null && known.schema() == schema) {
            return known;
        }
        List<Field> fields = schema.fields();
        List<String> names = new ArrayList<>(fields.size());
        for (Field field : fields) {
            names.add(field.name());
        }
        Columns made = new Columns(schema, List.copyOf(fields), List.copyOf(names));
        columns.put(name, made);
        return made;
    }

    /** The source's time of the change (commit time; for a full-load row, the time it was read). */
    private static Instant eventTime(Map<String, Object> source) {
        return source.get("ts_ms") instanceof Number millis ? Instant.ofEpochMilli(millis.longValue()) : Instant.now();
    }

    private Table tableOf(Map<String, Object> source, Schema keySchema) {
        // PostgreSQL, SQL Server, Oracle and DB2 name a schema; MySQL-family sources name a database instead.
        Object schema = source.get("schema");
        String container = String.valueOf(schema != null ? schema : source.get("db"));
        String name = String.valueOf(source.get("table"));
        String cacheKey = keySchema == null || keySchema.name() == null ? null : keySchema.name();
        Table known = cacheKey == null ? null : tables.get(cacheKey);
        if (known != null && known.keySchema() == keySchema && known.container().equals(container) && known.name().equals(name)) {
            return known;
        }
        TableId id = new TableId(container, name);
        Table made = new Table(keySchema, container, name, id, id.toString());
        if (cacheKey != null) {
            tables.put(cacheKey, made);
        }
        return made;
    }
}
