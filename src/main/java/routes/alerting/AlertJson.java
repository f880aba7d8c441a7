package routes.alerting;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An alert as JSON: what the generic webhook sends, and what a channel accepts as its body besides an
 * {@link AlertMessage}. The fields are the message's own ({@code since} as ISO-8601), then {@code title} and
 * {@code text}, the words a person would see, for receivers that only show a message.
 */
public final class AlertJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private AlertJson() {
    }

    static ObjectNode message(AlertMessage alert, Instant now) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("task", alert.task());
        json.put("table", alert.table());
        json.put("rule", alert.rule());
        json.put("level", alert.level().name());
        json.put("recovery", alert.recovery());
        json.put("value", alert.value());
        json.put("threshold", alert.threshold());
        json.put("since", alert.since().toString());
        json.put("action", alert.action());
        json.put("title", AlertText.title(alert));
        json.put("text", AlertText.plain(alert, now));
        return json;
    }

    /**
     * The alert a route hands a channel: an {@link AlertMessage}, or its JSON (text or bytes) as {@link #message}
     * writes it.
     */
    public static AlertMessage from(Object body) {
        if (body instanceof AlertMessage alert) {
            return alert;
        }
        String text = body instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : body instanceof String s ? s : null;
        if (text == null) {
            throw new IllegalArgumentException("An alert channel takes an AlertMessage or its JSON as the body, not "
                    + (body == null ? "an empty body" : body.getClass().getName()));
        }
        JsonNode json;
        try {
            json = MAPPER.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("The alert body is not JSON: " + e.getOriginalMessage());
        }
        String level = text(json, "level");
        try {
            return new AlertMessage(text(json, "task"), text(json, "table"), text(json, "rule"),
                    level == null ? null : AlertMessage.Level.valueOf(level.toUpperCase(java.util.Locale.ROOT)), json.path("recovery").asBoolean(false),
                    text(json, "value"), text(json, "threshold"), text(json, "since") == null ? null : Instant.parse(text(json, "since")),
                    text(json, "action"));
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("The alert's since '" + text(json, "since") + "' is not an ISO-8601 instant such as 2026-12-06T10:15:00Z");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().startsWith("No enum") ? "The alert's level '" + level
                    + "' is neither WARNING nor CRITICAL" : e.getMessage());
        }
    }

    private static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }
}
