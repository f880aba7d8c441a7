package routes.fullload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.junit.jupiter.api.Test;

import routes.change.TableId;

class FullLoadProgressTest {

    @Test
    void eachTablesProgressIsAJmxBeanWhileTheLoadRuns() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        TableId orders = new TableId("public", "Big orders");
        ObjectName name;
        try (FullLoadProgress progress = new FullLoadProgress("jmx-task")) {
            progress.expect(orders, 1_000, 200);
            progress.copied(orders, 300);
            name = progress.name(orders);
            assertEquals(500L, server.getAttribute(name, "RowsCopied"));
            assertEquals(1_000L, server.getAttribute(name, "RowsExpected"));
            assertTrue((Double) server.getAttribute(name, "RowsPerSecond") > 0, "rows copied in this run give a rate");
            assertTrue((Long) server.getAttribute(name, "SecondsLeft") >= 0);
            progress.copied(orders, 700); // more than the estimate: expected follows, nothing left
            assertEquals(1_200L, server.getAttribute(name, "RowsExpected"));
            assertEquals(0L, server.getAttribute(name, "SecondsLeft"));
            assertEquals(1_200L, progress.total());
        }
        assertFalse(server.isRegistered(name), "the bean goes away with the load");
    }
}
