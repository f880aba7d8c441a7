package routes.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The five sink kamelets share one route body, the route template in realtime-sync/sink-route.yaml: each kamelet's
 * route only hands its changes to SinkRoute, and none holds a copy of the body's steps.
 */
class SinkKameletsTest {

    private static final List<String> SINKS = List.of("jdbc-merge-sink", "jdbc-append-log-sink", "kafka-sink", "doris-stream-load-sink",
            "starrocks-stream-load-sink");
    /** Steps of the shared body: a kamelet holding any of them holds (part of) a copy. */
    private static final List<String> BODY = List.of("RealtimeSyncKind", "choice:", "aggregate:", "filter:", "idempotentConsumer:",
            "method: write", "skipWithoutKey", "sourceStatement", "truncatedOnSource", "schemaChanged");

    @Test
    void theFiveSinkKameletsShareOneRouteBody() throws Exception {
        for (String sink : SINKS) {
            String kamelet = Files.readString(Path.of("kamelets", sink + ".kamelet.yaml"));
            String route = kamelet.substring(kamelet.indexOf("\n    from:"));
            assertEquals("""

                        from:
                          uri: "kamelet:source"
                          steps:
                            # The route body every sink shares (realtime-sync/sink-route.yaml in the project's classes).
                            - process:
                                ref: "{{sinkRoute}}"
                    """, route, sink);
            assertTrue(kamelet.contains("type: \"#class:routes.sink.SinkRoute\""), sink);
            for (String step : BODY) {
                assertFalse(kamelet.contains(step), sink + " holds a copy of the sink route body (" + step + ")");
            }
        }
        String body = Files.readString(Path.of("src/main/resources/realtime-sync/sink-route.yaml"));
        for (String step : BODY.subList(0, 4)) {
            assertTrue(body.contains(step), step);
        }
    }
}
