package routes.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class PgoutputNamesTest {

    /** What Debezium 3.4's pgoutput decoder makes of a name: each UTF-8 byte cast to a char. */
    private static String mangled(String name) {
        StringBuilder out = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            out.append((char) b);
        }
        return out.toString();
    }

    @Test
    void repairsNamesReadByteByByte() {
        for (String name : new String[] {"Größe", "注文", "emoji 😀 col", "ｱ半角"}) {
            assertEquals(name, PgoutputNames.repair(mangled(name)));
        }
    }

    @Test
    void leavesCorrectNamesAlone() {
        for (String name : new String[] {"plain", "Order Items", "Größe", "注文", "ﾟ"}) {
            assertEquals(name, PgoutputNames.repair(name));
        }
    }
}
