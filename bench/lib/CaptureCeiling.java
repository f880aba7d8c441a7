import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;
import org.apache.kafka.connect.data.Struct;

/**
 * bench/run.sh --ceiling: Debezium's PostgreSQL capture alone, with the postgres-cdc-source kamelet's Debezium
 * settings, in a Camel route that only counts what it receives. Drains the W2 backlog from its own slot and stops
 * when the fence change with the given seq arrives; prints one CEILING line.
 *
 * Arguments: fence-seq port slot publication. System property t0: epoch milliseconds the clock started at (before
 * the JVM). Offsets stay in memory: the slot is the bench's own and is dropped afterwards.
 */
public final class CaptureCeiling {

    public static void main(String[] args) throws Exception {
        long t0 = Long.parseLong(System.getProperty("t0", Long.toString(System.currentTimeMillis())));
        long seq = Long.parseLong(args[0]);
        String uri = "debezium-postgres:ceiling?databaseHostname=127.0.0.1&databasePort=" + args[1]
                + "&databaseUser=postgres&databasePassword=bench&databaseDbname=bench&topicPrefix=ceiling&pluginName=pgoutput"
                + "&slotName=" + args[2] + "&publicationName=" + args[3] + "&publicationAutocreateMode=disabled"
                + "&snapshotMode=no_data&schemaIncludeList=public"
                + "&maxBatchSize=8192&maxQueueSize=32768&maxQueueSizeInBytes=67108864&pollIntervalMs=10&heartbeatIntervalMs=10000"
                + "&decimalHandlingMode=string&intervalHandlingMode=string&timePrecisionMode=adaptive_time_microseconds"
                + "&tombstonesOnDelete=false&skippedOperations=none&includeUnknownDatatypes=true"
                + "&offsetStorage=org.apache.kafka.connect.storage.MemoryOffsetBackingStore&offsetFlushIntervalMs=0"
                + "&additionalProperties.column.propagate.source.type=.*"
                + "&additionalProperties.converters=pgtext&additionalProperties.pgtext.type=routes.capture.PostgresTextValues"
                // With "transactions": Debezium's BEGIN and END records too, as the sync asks for them (to commit at transaction ends).
                + (args.length > 4 && args[4].equals("transactions") ? "&provideTransactionMetadata=true" : "");
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long[] cpuAtFirst = {0};
        AtomicLong received = new AtomicLong();
        long[] first = {0};
        Main main = new Main();
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("capture-ceiling").process(exchange -> {
                    long n = received.incrementAndGet();
                    if (n == 1) {
                        first[0] = System.currentTimeMillis();
                        cpuAtFirst[0] = os.getProcessCpuTime();
                    }
                    Object topic = exchange.getMessage().getHeader("CamelDebeziumIdentifier");
                    if (topic != null && topic.toString().endsWith(".bench_fence") && exchange.getMessage().getBody() instanceof Struct row
                            && row.getInt64("seq") >= seq) {
                        long now = System.currentTimeMillis();
                        double cpu = (os.getProcessCpuTime() - cpuAtFirst[0]) / 1e9;
                        System.out.printf("CEILING %d records %.1f s %.0f records/s (JVM start -> fence received); first after %.1f s, "
                                + "%.0f records/s from then on; CPU %.1f s from then on%n", n, (now - t0) / 1000.0, n * 1000.0 / Math.max(1, now - t0),
                                (first[0] - t0) / 1000.0, n * 1000.0 / Math.max(1, now - first[0]), cpu);
                        System.out.flush();
                        Runtime.getRuntime().halt(0);
                    }
                });
            }
        });
        main.run();
    }
}
