package routes.capture;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.debezium.DebeziumConstants;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

import routes.change.ChangeEvent;
import routes.change.ChangeKind;
import routes.change.Operation;
import routes.change.SourceOperation;
import routes.change.TableId;

/**
 * Turns a Debezium exchange (any source connector) into one {@link ChangeEvent} and tells routes what it is through
 * the {@link ChangeKind#HEADER} header, so the decision itself is a content-based router in the route.
 */
public class ChangeEventNormalizer implements Processor {

    private final AtomicLong sequence = new AtomicLong();

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        String topic = in.getHeader(DebeziumConstants.HEADER_IDENTIFIER, String.class);
        if (topic != null && topic.startsWith("__debezium-heartbeat")) {
            in.setHeader(ChangeKind.HEADER, ChangeKind.HEARTBEAT.name());
            return;
        }
        if (in.getHeader(DebeziumConstants.HEADER_DDL_SQL) != null) {
            in.setHeader(ChangeKind.HEADER, ChangeKind.SCHEMA.name());
            return;
        }
        String op = in.getHeader(DebeziumConstants.HEADER_OPERATION, String.class);
        if (op == null) {
            in.setHeader(ChangeKind.HEADER, ChangeKind.TOMBSTONE.name());
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> source = in.getHeader(DebeziumConstants.HEADER_SOURCE_METADATA, Map.class);
        boolean pgoutput = "postgresql".equals(source.get("connector"));
        TableId table = tableOf(source, pgoutput);
        in.setHeader(ChangeKind.TABLE_HEADER, table.toString());
        if ("t".equals(op)) {
            in.setBody(table);
            in.setHeader(ChangeKind.HEADER, ChangeKind.TRUNCATE.name());
            return;
        }

        Object keyHeader = in.getHeader(DebeziumConstants.HEADER_KEY);
        if (!(keyHeader instanceof Struct key)) {
            // Debezium sends no key for a table without a primary key (or replica identity).
            in.setHeader(ChangeKind.HEADER, ChangeKind.NO_KEY.name());
            return;
        }
        Operation operation = Operation.fromDebezium(op);
        List<String> keyColumns = new ArrayList<>();
        Map<String, Object> keyValues = new LinkedHashMap<>();
        for (Field field : key.schema().fields()) {
            String column = pgoutput ? PgoutputNames.repair(field.name()) : field.name();
            keyColumns.add(column);
            keyValues.put(column, DebeziumValues.toJava(field.schema(), key.get(field)));
        }
        Map<String, Object> row = new LinkedHashMap<>();
        Set<String> unavailable = new HashSet<>();
        if (operation == Operation.UPSERT) {
            Struct after = in.getBody(Struct.class);
            for (Field field : after.schema().fields()) {
                Object raw = after.get(field);
                String column = pgoutput ? PgoutputNames.repair(field.name()) : field.name();
                if (DebeziumValues.isUnavailable(raw)) {
                    unavailable.add(column);
                } else {
                    row.put(column, DebeziumValues.toJava(field.schema(), raw));
                }
            }
        }
        in.setBody(new ChangeEvent(table, operation, List.copyOf(keyColumns), keyValues, row, Set.copyOf(unavailable),
                sequence.incrementAndGet(), SourceOperation.fromDebezium(op), eventTime(source)));
        in.setHeader(ChangeKind.HEADER, ChangeKind.ROW.name());
    }

    /** The source's time of the change (commit time; for a full-load row, the time it was read). */
    private static Instant eventTime(Map<String, Object> source) {
        return source.get("ts_ms") instanceof Number millis ? Instant.ofEpochMilli(millis.longValue()) : Instant.now();
    }

    private static TableId tableOf(Map<String, Object> source, boolean pgoutput) {
        // PostgreSQL, SQL Server, Oracle and DB2 name a schema; MySQL-family sources name a database instead.
        Object schema = source.get("schema");
        String container = String.valueOf(schema != null ? schema : source.get("db"));
        String table = String.valueOf(source.get("table"));
        return pgoutput ? new TableId(PgoutputNames.repair(container), PgoutputNames.repair(table)) : new TableId(container, table);
    }
}
