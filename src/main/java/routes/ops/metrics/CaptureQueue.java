package routes.ops.metrics;

import java.lang.management.ManagementFactory;
import java.util.Set;

import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

import org.apache.camel.CamelContext;

import routes.state.SyncTask;

/**
 * How full the task's capture engine queue is, from Debezium's own metrics MBean
 * ({@code debezium.<connector>:type=connector-metrics,context=streaming|snapshot,server=<task>}: QueueRemainingCapacity
 * of QueueTotalCapacity). Read when scraped; NaN while the engine has no such MBean.
 */
final class CaptureQueue {

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final CamelContext context;
    private final SyncTask task;

    CaptureQueue(CamelContext context, SyncTask task) {
        this.context = context;
        this.task = task;
    }

    double fillRatio() {
        for (String phase : new String[] {"streaming", "snapshot"}) {
            ObjectName name = find(phase);
            if (name != null) {
                try {
                    double remaining = ((Number) server.getAttribute(name, "QueueRemainingCapacity")).doubleValue();
                    double total = ((Number) server.getAttribute(name, "QueueTotalCapacity")).doubleValue();
                    if (total > 0) {
                        return Math.max(0, Math.min(1, 1 - remaining / total));
                    }
                } catch (Exception e) {
                    // gone between the lookup and the read: the engine stopped
                }
            }
        }
        return Double.NaN;
    }

    /**
     * The MBean of this task's engine: the topic prefix is the task's name; a second context running a task of the same
     * name tags its engine with its context (see CaptureRegistration), so a tagged one wins when it is ours.
     */
    private ObjectName find(String phase) {
        try {
            Set<ObjectName> names = server.queryNames(new ObjectName("debezium.*:type=connector-metrics,context=" + phase
                    + ",server=" + task.name() + ",*"), null);
            String ours = context.getName().replaceAll("[^A-Za-z0-9_.-]", "_");
            ObjectName untagged = null;
            for (ObjectName name : names) {
                String tag = name.getKeyProperty("camelContext");
                if (ours.equals(tag)) {
                    return name;
                }
                if (tag == null) {
                    untagged = name;
                }
            }
            return untagged;
        } catch (MalformedObjectNameException e) {
            return null;
        }
    }
}
