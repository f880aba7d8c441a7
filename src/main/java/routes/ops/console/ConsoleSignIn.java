package routes.ops.console;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import routes.ops.api.ApiToken;

/**
 * {@code POST /console/session} with {@code {"token": "..."}}: the API's token opens a session, handed back as a cookie
 * (a random id, never the token); a wrong token gets 401. {@code DELETE /console/session} signs out: the session
 * ends and the browser forgets the cookie.
 */
final class ConsoleSignIn implements Processor {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ApiToken token;

    ConsoleSignIn(ApiToken token) {
        this.token = token;
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        String method = message.getHeader(Exchange.HTTP_METHOD, String.class);
        String cookies = message.getHeader("Cookie", String.class);
        String body = "POST".equals(method) ? message.getBody(String.class) : null;
        message.removeHeaders("*"); // no request header (its cookie among them) goes back with the answer
        if ("DELETE".equals(method)) {
            token.sessions().close(cookies);
            answer(message, 200, "{\"message\":\"signed out\"}");
            message.setHeader("Set-Cookie", ConsoleSessions.removal());
            return;
        }
        if (!token.matches(tokenIn(body))) {
            answer(message, 401, "{\"message\":\"wrong token: paste the one in the file the task's log names, or $"
                    + ApiToken.ENVIRONMENT + "\"}");
            return;
        }
        answer(message, 200, "{\"message\":\"signed in\"}");
        message.setHeader("Set-Cookie", ConsoleSessions.cookie(token.sessions().open()));
    }

    private static void answer(Message message, int status, String json) {
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setBody(json + "\n");
    }

    /** The token a sign-in sent ({@code {"token": "..."}}), or null. */
    private static String tokenIn(String body) {
        try {
            JsonNode given = body == null || body.isBlank() ? null : JSON.readTree(body).get("token");
            return given == null || !given.isTextual() ? null : given.asText();
        } catch (Exception e) {
            return null;
        }
    }
}
