import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;
import org.apache.kafka.connect.data.Struct;

/**
 * bench/run.sh --ceiling: Debezium's capture alone, with the cdc-source kamelet's Debezium settings, in a Camel route
 * that only counts what it receives. Drains the W2 backlog and stops when the fence change with the given seq
 * arrives; prints one CEILING line.
 *
 * PostgreSQL, arguments {@code pg fence-seq port slot publication [transactions]}: reads from its own slot, created
 * before the backlog; offsets stay in memory (the slot is dropped afterwards).
 *
 * MariaDB, arguments {@code mariadb prime|drain fence-seq port state-dir [transactions]}: the binlog has no slot, so a
 * first run ("prime", before the backlog) reads up to a fence and keeps its offset and schema history in files under
 * state-dir; the second ("drain", after the backlog) starts from there, as the sync's stopped task does.
 *
 * System property t0: epoch milliseconds the clock started at (before the JVM).
 */
public final class CaptureCeiling {

    public static void main(String[] args) throws Exception {
        long t0 = Long.parseLong(System.getProperty("t0", Long.toString(System.currentTimeMillis())));
        boolean mariaDb = args[0].equals("mariadb");
        boolean prime = mariaDb && args[1].equals("prime");
        String[] rest = java.util.Arrays.copyOfRange(args, mariaDb ? 2 : 1, args.length);
        long seq = Long.parseLong(rest[0]);
        boolean transactions = rest[rest.length - 1].equals("transactions");
        String uri = (mariaDb ? mariaDbUri(rest[1], rest[2]) : postgresUri(rest[1], rest[2], rest[3]))
                + "&maxBatchSize=8192&maxQueueSize=32768&maxQueueSizeInBytes=67108864&pollIntervalMs=10&heartbeatIntervalMs=10000"
                + "&decimalHandlingMode=string&timePrecisionMode=adaptive_time_microseconds"
                + "&tombstonesOnDelete=false&skippedOperations=none&offsetFlushIntervalMs=0"
                + "&additionalProperties.column.propagate.source.type=.*"
                // With "transactions": Debezium's BEGIN and END records too, as the sync asks for them (to commit at transaction ends).
                + (transactions ? "&provideTransactionMetadata=true" : "");
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
                        System.out.printf((prime ? "PRIMED " : "CEILING ") + "%d records %.1f s %.0f records/s (JVM start -> fence received); first after %.1f s, "
                                + "%.0f records/s from then on; CPU %.1f s from then on%n", n, (now - t0) / 1000.0, n * 1000.0 / Math.max(1, now - t0),
                                (first[0] - t0) / 1000.0, n * 1000.0 / Math.max(1, now - first[0]), cpu);
                        System.out.flush();
                        if (prime) {
                            // Stopped, not halted: the engine commits the offset of what it read to the file.
                            new Thread(() -> main.completed()).start();
                        } else {
                            Runtime.getRuntime().halt(0);
                        }
                    }
                });
            }
        });
        main.run();
    }

    private static String postgresUri(String port, String slot, String publication) {
        return "debezium-postgres:ceiling?databaseHostname=127.0.0.1&databasePort=" + port
                + "&databaseUser=postgres&databasePassword=bench&databaseDbname=bench&topicPrefix=ceiling&pluginName=pgoutput"
                + "&slotName=" + slot + "&publicationName=" + publication + "&publicationAutocreateMode=disabled"
                + "&snapshotMode=no_data&schemaIncludeList=public&intervalHandlingMode=string&includeUnknownDatatypes=true"
                + "&offsetStorage=org.apache.kafka.connect.storage.MemoryOffsetBackingStore"
                + "&additionalProperties.converters=pgtext&additionalProperties.pgtext.type=routes.capture.PostgresTextValues";
    }

    /** Debezium's MariaDB connector as MySqlFamilyConnector sets it up for a MariaDB source, state in files. */
    private static String mariaDbUri(String port, String stateDir) {
        return "debezium-mysql:ceiling?databaseHostname=127.0.0.1&databasePort=" + port
                + "&databaseUser=bench&databasePassword=bench&databaseServerId=4242&topicPrefix=ceiling&databaseIncludeList=bench"
                + "&snapshotMode=no_data&bigintUnsignedHandlingMode=precise&additionalProperties.driver.yearIsDateType=false"
                + "&topicNamingStrategy=io.debezium.schema.DefaultTopicNamingStrategy"
                + "&offsetStorage=org.apache.kafka.connect.storage.FileOffsetBackingStore&offsetStorageFileName=" + stateDir + "/offsets.dat"
                + "&schemaHistoryInternal=io.debezium.storage.file.history.FileSchemaHistory"
                + "&schemaHistoryInternalFileFilename=" + stateDir + "/history.dat"
                + "&additionalProperties.connector.class=io.debezium.connector.mariadb.MariaDbConnector"
                + "&additionalProperties.sourceinfo.struct.maker=io.debezium.connector.mariadb.MariaDbSourceInfoStructMaker"
                + "&databaseSslMode=disable&additionalProperties.database.timezone=RAW(+00:00)";
    }
}
