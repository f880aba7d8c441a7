package routes.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class HttpAddressTest {

    @Test
    void theOptionMovesOrTurnsOffTheApiAndLeavesTheTaskFiles() {
        List<String> args = new ArrayList<>(List.of("a.yaml", "--http", "0.0.0.0:9000", "b.yaml"));
        assertEquals(new HttpAddress("0.0.0.0", 9000), HttpAddress.take(args));
        assertEquals(List.of("a.yaml", "b.yaml"), args);
        assertEquals(new HttpAddress("127.0.0.1", 8089), HttpAddress.take(new ArrayList<>(List.of("a.yaml"))));
        assertNull(HttpAddress.take(new ArrayList<>(List.of("--http", "off", "a.yaml"))));
        assertEquals(new HttpAddress("::1", 9000), HttpAddress.parse("[::1]:9000"));
    }

    @Test
    void aBadAddressOrATakenPortIsOneLineNamingTheOption() throws Exception {
        for (String bad : List.of("9000", "localhost", "localhost:x", "localhost:70000", ":9000")) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> HttpAddress.parse(bad)).getMessage().contains("--http"), bad);
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HttpAddress.take(new ArrayList<>(List.of("a.yaml", "--http"))))
                .getMessage().contains("--http"));
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String line = RealtimeSync.httpProblem(new ArrayList<>(List.of("a.yaml", "--http", "127.0.0.1:" + taken.getLocalPort())));
            assertTrue(line.contains("--http") && line.contains(String.valueOf(taken.getLocalPort())) && !line.contains("\n"), line);
        }
        assertNull(RealtimeSync.httpProblem(new ArrayList<>(List.of("a.yaml", "--http", "off"))));
    }
}
