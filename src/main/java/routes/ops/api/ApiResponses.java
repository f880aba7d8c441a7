package routes.ops.api;

import org.apache.camel.Exchange;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** Writes the API's JSON answers. */
final class ApiResponses {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ApiResponses() {
    }

    static void json(Exchange exchange, int status, Object body) {
        String text;
        try {
            text = body instanceof String given ? given : JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the answer as JSON: " + e.getOriginalMessage(), e);
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(text + "\n");
    }

    /** An error answer: one line saying what is wrong. */
    static void message(Exchange exchange, int status, String message) {
        json(exchange, status, java.util.Map.of("message", message));
    }

    static ObjectMapper mapper() {
        return JSON;
    }
}
