package routes.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.component.debezium.DebeziumConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import routes.change.ChangeEvent;
import routes.change.Operation;
import routes.change.RowImage;
import routes.change.SourceOperation;
import routes.change.SourcePosition;
import routes.change.TableId;
import routes.ops.TaskProblem;
import routes.schema.Column;

class ValueAssignmentsTest {

    private static final Instant AT = Instant.parse("2024-05-06T07:08:09.123Z");
    private final DefaultCamelContext camel = new DefaultCamelContext();

    @AfterEach
    void stop() throws Exception {
        camel.close();
    }

    private static ChangeEvent change(SourceOperation op) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", 7);
        row.put("name", "lamp");
        Operation operation = op == SourceOperation.DELETE ? Operation.DELETE : Operation.UPSERT;
        return new ChangeEvent(new TableId("public", "items"), operation, List.of("id"), Map.of("id", 7),
                operation == Operation.DELETE ? Map.of() : row, Set.of(), 1, op, AT, RowImage.NONE, SourcePosition.parse("lsn:1"));
    }

    private ChangeEvent assign(String setting, ChangeEvent change) {
        ValueAssignments assignments = new ValueAssignments();
        assignments.setAssignments(setting);
        assignments.setCamelContext(camel);
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(change);
        exchange.getMessage().setHeader(DebeziumConstants.HEADER_SOURCE_METADATA, Map.of("db", "shop", "connector", "postgresql"));
        assignments.process(exchange);
        return exchange.getMessage().getBody(ChangeEvent.class);
    }

    @Test
    void constantsVariablesAndSimpleExpressionsFillTheRow() {
        ChangeEvent out = assign("origin varchar(8)='it''s'; op text=${operation}; at timestamptz=${event_time};"
                + "db text=${source_database_name}; sch text=${source_schema_name}; tbl text=${table_name};"
                + "label text=simple:${body.table.table.toUpperCase()}-${body.row[name]}", change(SourceOperation.UPDATE));
        assertEquals("it's", out.row().get("origin"));
        assertEquals("update", out.row().get("op"));
        assertEquals(OffsetDateTime.of(2024, 5, 6, 7, 8, 9, 123_000_000, ZoneOffset.UTC), out.row().get("at"));
        assertEquals("shop", out.row().get("db"));
        assertEquals("public", out.row().get("sch"));
        assertEquals("items", out.row().get("tbl"));
        assertEquals("ITEMS-lamp", out.row().get("label"));
        // The source's own columns stay first and unchanged.
        assertEquals(List.of("id", "name", "origin", "op", "at", "db", "sch", "tbl", "label"), List.copyOf(out.row().keySet()));
    }

    @Test
    void fullLoadRowsSayFullLoad() {
        assertEquals("full_load", assign("op text=${operation}", change(SourceOperation.FULL_LOAD)).row().get("op"));
    }

    @Test
    void deletesAreLeftAlone() {
        ChangeEvent delete = change(SourceOperation.DELETE);
        assertSame(delete, assign("op text=${operation}", delete));
    }

    @Test
    void columnsCarryTheirTypes() {
        assertEquals(List.of(new Column("etl_op", "character varying(8)", true), new Column("loaded", "timestamptz", true)),
                ValueAssignments.columns("etl_op character varying(8)=${operation}; loaded timestamptz=${event_time}"));
        assertEquals(List.of(), ValueAssignments.columns(""));
    }

    @Test
    void aSemicolonInsideAConstantBelongsToIt() {
        assertEquals("a;b", assign("c text='a;b'", change(SourceOperation.INSERT)).row().get("c"));
    }

    @Test
    void badEntriesSayWhatIsWrong() {
        assertThrows(TaskProblem.class, () -> ValueAssignments.parse("c text=plain"));
        assertThrows(TaskProblem.class, () -> ValueAssignments.parse("c text=${no_such_variable}"));
        assertThrows(TaskProblem.class, () -> ValueAssignments.parse("c='x'"));
        assertThrows(TaskProblem.class, () -> ValueAssignments.parse("c text='x'; c text='y'"));
    }

    @Test
    void simpleResultsBecomeBindableValues() {
        assertEquals(OffsetDateTime.ofInstant(AT, ZoneOffset.UTC), ValueAssignments.bindable(java.util.Date.from(AT)));
        assertEquals(42L, ValueAssignments.bindable(42L));
        assertEquals("[1, 2]", ValueAssignments.bindable(List.of(1, 2)));
    }
}
