package routes.sink;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.Processor;
import org.apache.camel.component.debezium.DebeziumConstants;

import routes.change.ChangeEvent;
import routes.change.Operation;
import routes.ops.TaskProblem;
import routes.schema.Column;
import routes.schema.SettingList;

/**
 * Fills the extra target columns of the sink's {@code assignments} setting into every upserted row, before it is
 * batched. A {@code simple:} expression is evaluated against the change's exchange: the body is the
 * {@link ChangeEvent} ({@code ${body.row[price]}}, {@code ${body.table.table}}, {@code ${body.eventTime}}) and the
 * headers are Debezium's ({@code ${header.CamelDebeziumSourceMetadata[db]}}). Deletes carry only the key and are
 * left as they are.
 */
public class ValueAssignments implements Processor, CamelContextAware {

    private CamelContext camelContext;
    private List<Assignment> assignments = List.of();
    private final Map<Assignment, Expression> expressions = new LinkedHashMap<>();

    /** The entries of a setting; none when it is empty. Names must be unique. */
    static List<Assignment> parse(String setting) {
        List<Assignment> parsed = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String entry : SettingList.entries(setting)) {
            Assignment assignment = Assignment.parse(entry);
            if (!names.add(assignment.column())) {
                throw new TaskProblem("The jdbc-merge-sink setting assignments names column '" + assignment.column()
                        + "' twice; give each extra column one value.");
            }
            parsed.add(assignment);
        }
        return List.copyOf(parsed);
    }

    /** The extra columns a setting adds to every target table. */
    static List<Column> columns(String setting) {
        return parse(setting).stream().map(Assignment::asColumn).toList();
    }

    /** Called by Camel with the kamelet parameter. */
    public void setAssignments(String setting) {
        assignments = parse(setting);
    }

    @Override
    public void process(Exchange exchange) {
        if (assignments.isEmpty() || !(exchange.getMessage().getBody() instanceof ChangeEvent change)
                || change.operation() == Operation.DELETE) {
            return;
        }
        Map<String, Object> row = new LinkedHashMap<>(change.row());
        for (Assignment assignment : assignments) {
            row.put(assignment.column(), valueOf(assignment, change, exchange));
        }
        exchange.getMessage().setBody(change.withRow(row));
    }

    private Object valueOf(Assignment assignment, ChangeEvent change, Exchange exchange) {
        return switch (assignment.kind()) {
            case CONSTANT -> assignment.text();
            case VARIABLE -> variable(assignment.text(), change, exchange);
            case SIMPLE -> bindable(expression(assignment).evaluate(exchange, Object.class));
        };
    }

    private static Object variable(String name, ChangeEvent change, Exchange exchange) {
        return switch (name) {
            case Assignment.EVENT_TIME -> OffsetDateTime.ofInstant(change.eventTime(), ZoneOffset.UTC);
            case Assignment.OPERATION -> change.sourceOperation().settingName();
            case Assignment.DATABASE -> {
                Map<?, ?> source = exchange.getMessage().getHeader(DebeziumConstants.HEADER_SOURCE_METADATA, Map.class);
                yield source == null || source.get("db") == null ? null : source.get("db").toString();
            }
            case Assignment.SCHEMA -> change.table().schema();
            case Assignment.TABLE -> change.table().table();
            default -> throw new IllegalStateException("Unknown variable " + name);
        };
    }

    /** Expressions are built once, on first use (the Camel context is set after the properties). */
    private synchronized Expression expression(Assignment assignment) {
        return expressions.computeIfAbsent(assignment, a -> {
            Expression expression = camelContext.resolveLanguage("simple").createExpression(a.text());
            expression.init(camelContext);
            return expression;
        });
    }

    /** A Simple result as a value the dialects bind; anything else is written as its text. */
    static Object bindable(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
                || value instanceof Long || value instanceof Short || value instanceof Double || value instanceof Float
                || value instanceof java.math.BigDecimal || value instanceof LocalDate || value instanceof LocalDateTime
                || value instanceof LocalTime || value instanceof OffsetDateTime) {
            return value;
        }
        if (value instanceof Instant instant) {
            return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
        }
        if (value instanceof java.util.Date date) {
            return OffsetDateTime.ofInstant(date.toInstant(), ZoneOffset.UTC);
        }
        return value.toString();
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }
}
