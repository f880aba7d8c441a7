package routes.sink.kafka;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import routes.capture.SourceDatabase;
import routes.change.ChangeBatch;
import routes.change.ChangeEvent;
import routes.change.Operation;
import routes.change.RowImage;
import routes.change.SourceOperation;
import routes.change.SourcePosition;
import routes.change.TableId;
import routes.ops.TaskProblem;
import routes.schema.Column;
import routes.schema.TableSchema;
import routes.sink.SchemaChange;
import routes.sink.SchemaChangePolicies;
import routes.sink.DeadLetters;
import routes.sink.RowStructure;
import routes.sink.TargetNaming;
import routes.state.FullLoadState;
import routes.state.TableState;
import routes.sink.TaskWriter;
import routes.sink.kafka.TaskStateTopic.TableStatus;

/**
 * Writes a task's row changes to one Kafka topic per table, exactly once. The changes of a captured poll batch, the
 * source offsets they lead to, and any schema history and table status are written in ONE Kafka transaction, which
 * {@link #commit} (called by the offset store after each poll batch) commits; offsets live in the task's state topic
 * and are read back with read_committed at start. A crash leaves the open transaction uncommitted (the next start
 * fences it and the broker aborts it), so consumers reading committed records see every change once, in order per
 * key, and the capture resumes exactly after the last committed batch.
 *
 * <p>Why not camel-kafka's producer endpoint: it begins and commits a transaction per exchange, while here one
 * transaction spans a whole capture batch and ends when Debezium's offset store asks, outside any exchange. So the
 * writer takes its connection settings and clients from the kamelet's camel-kafka component ({@link KafkaClients})
 * and drives Kafka's transactional producer itself.
 */
public class KafkaTopicWriter extends TaskWriter {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTopicWriter.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private KafkaComponent kafka;
    private String securityProtocol = "PLAINTEXT";
    private String topic = "";
    private String invalidTopicNames = "replace";
    private String format = "debezium-json";
    private String timestampFormat = "ISO-8601";
    private boolean tombstonesOnDelete = true;
    private boolean writeTruncates;
    private int topicPartitions = 1;
    private int topicReplicationFactor = -1;
    private String topicCleanupPolicy = "compact";
    private String stateTopic = "";
    private String deadLetterTopic = "";
    private String transactionalId = "";
    private String sourceName = "";
    private int maxRequestSize = 1_048_576;
    private long retrySeconds = 1800;
    private long connectTimeoutSeconds = 30;
    private long deadLetterLimit = 1000;
    private String schemaChanges = "";

    private RecordFormat records;
    private TopicNaming naming;
    private DeadLetters deadLetters;
    private KafkaClients clients;
    private TopicAdmin admin;
    private Producer<byte[], byte[]> producer;
    private TaskStateTopic state;
    private SourceDatabase source;
    private String connector = "";

    /** Where one source table's changes go, and the largest record its topic takes. */
    private record TableTopic(String topic, SourceNames names, int maxRecordBytes) {
    }

    /** A record sent in the open transaction: kept so an aborted transaction can be sent again. */
    private record Sent(ProducerRecord<byte[], byte[]> record, Future<RecordMetadata> result, ChangeEvent change, TableTopic table) {
    }

    private final Map<TableId, TableTopic> tables = new HashMap<>();
    /**
     * The columns each table's records carry, as the column policies leave them: as the state topic kept them, or from
     * the table's first row.
     */
    private final Map<TableId, RecordColumns> recordColumns = new HashMap<>();
    /** Batches the aggregator handed over since the last commit; sent in source order at the commit. */
    private final List<ChangeBatch> pending = new ArrayList<>();
    /** State records (table status, history deletions) to go with the next transaction. */
    private final List<ProducerRecord<byte[], byte[]>> pendingState = new ArrayList<>();
    private List<Sent> transaction = new ArrayList<>();
    private boolean inTransaction;
    /** Another run of the task took over the transactional id: this one must not write again. */
    private boolean fenced;

    /** Called by Camel once the properties are set. */
    public void start() {
        if (task == null || task.isBlank()) {
            throw new TaskProblem("The kafka-sink setting 'task' is empty: set it in the task.");
        }
        if (kafka == null) {
            throw new TaskProblem("The kafka-sink writer of task '" + task + "' has no Kafka component");
        }
        records = RecordFormat.named(format, new JsonValues(JsonValues.TimestampStyle.of(timestampFormat)));
        naming = new TopicNaming(topic, invalidTopicNames);
        // Records carry a dropped column no longer unless dropColumn says otherwise. writeTruncates is the older way to
        // say truncate=apply; the schemaChanges setting still decides.
        Map<SchemaChangePolicies.Kind, SchemaChangePolicies.Policy> defaults = new HashMap<>();
        defaults.put(SchemaChangePolicies.Kind.DROP_COLUMN, SchemaChangePolicies.Policy.APPLY);
        if (writeTruncates) {
            defaults.put(SchemaChangePolicies.Kind.TRUNCATE, SchemaChangePolicies.Policy.APPLY);
        }
        decisions = schemaChangeDecisions(new SchemaChangePolicies(schemaChanges, defaults));
        deadLetters = deadLetters();
        register();
    }

    /** Called by Camel on shutdown: an unfinished transaction is aborted; its changes will be captured again. */
    public synchronized void stop() {
        unregister();
        closeClients();
    }

    @Override
    protected void closeTarget() {
        closeClients();
    }

    /**
     * In a transaction of its own, on a new producer of the task's transactional id. Not when another run of the task
     * fenced this one: that run owns the state topic now.
     */
    @Override
    protected void markTablesTaskStopped(String reason) {
        if (state == null || clients == null || fenced) {
            return;
        }
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        new LinkedHashMap<>(state.tables()).forEach((table, status) -> {
            if (status.status() == TableState.SYNCING) {
                records.add(state.tableRecord(table, new TableStatus(TableState.TASK_STOPPED, reason, status.topic())));
            }
        });
        if (records.isEmpty()) {
            return;
        }
        try (Producer<byte[], byte[]> statuses = clients.transactionalProducer(transactionalIdName(), maxRequestSize)) {
            statuses.initTransactions();
            statuses.beginTransaction();
            records.forEach(statuses::send);
            statuses.commitTransaction();
        }
    }

    @Override
    protected Map<String, String> prepareTask(SourceDatabase source, boolean fullLoadWanted) throws Exception {
        this.source = source;
        clients = new KafkaClients(kafka);
        Duration timeout = Duration.ofSeconds(connectTimeoutSeconds);
        admin = new TopicAdmin(clients.admin(), timeout);
        admin.checkReachable(clients.bootstrapServers(), securityProtocol);
        String stateName = nameOr(stateTopic, "realtime-sync." + task + ".state");
        Map<String, String> problems = new HashMap<>(admin.createMissing(List.of(stateName), 1, replicationFactor(),
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        problems.putAll(admin.createMissing(List.of(deadLetterTopicName()), 1, replicationFactor(), Map.of()));
        if (!problems.isEmpty()) {
            throw new TaskProblem("Cannot create the task's own topics on Kafka: " + problems);
        }
        producer = clients.transactionalProducer(transactionalIdName(), maxRequestSize);
        // Fences an earlier run of this task that died mid-transaction: the broker aborts what it had not committed,
        // so the state read below is exactly what the topics hold.
        producer.initTransactions();
        state = new TaskStateTopic(stateName);
        try (Consumer<byte[], byte[]> consumer = clients.readCommittedConsumer()) {
            state.read(consumer, timeout);
        }
        Map<String, String> offsets = new LinkedHashMap<>(state.offsets());
        source.check(!offsets.isEmpty());
        List<TableSchema> sourceTables = source.tables();
        if (sourceTables.isEmpty()) {
            throw new TaskProblem("No table of " + source.describe() + " matches the task's table selection: check the "
                    + "schema and table lists (regular expressions over schema and schema.table).");
        }
        connector = sourceTables.get(0).typeSystem().id();
        boolean reload = fullLoadWanted && !FullLoadState.isComplete(offsets);
        if (reload) {
            pendingState.addAll(state.clearHistory()); // the capture starts over and records the schema again
            pendingState.addAll(state.clearColumns());
            if (!offsets.isEmpty()) {
                LOG.warn("Task '{}': the full load stopped before it finished; Debezium reads every table again, and the rows "
                        + "its first attempt wrote are marked deleted first", task);
            }
        }
        place(sourceTables, reload ? Map.of() : state.tables(), reload);
        for (TableId table : tables.keySet()) {
            String saved = state.columns().get(table.toString());
            if (saved != null) {
                recordColumns.put(table, RecordColumns.fromJson(saved));
            }
        }
        if (reload) {
            try (Consumer<byte[], byte[]> consumer = clients.readCommittedConsumer()) {
                for (Map.Entry<TableId, TableTopic> table : tables.entrySet()) {
                    if (!source.skipsFullLoad(table.getKey())) {
                        retractRows(consumer, table.getKey(), table.getValue(), timeout);
                    }
                }
            }
            sendState();
            commitTransaction();
        }
        source.prepareCapture(sourceTables.stream().filter(t -> tables.containsKey(t.id())).toList());
        LOG.info("Task '{}': {} tables from {} into Kafka {} as {}{}", task, tables.size(), source.describe(), clients.bootstrapServers(),
                records.getClass().getSimpleName(), reload ? " (full load first)" : ", resuming from the position Kafka holds");
        return offsets;
    }

    /**
     * Gives each table its topic (created when missing). A table stopped in an earlier run stays stopped; a table
     * whose topic name or topic cannot be had is stopped with the reason, the others go on.
     */
    private void place(List<TableSchema> sourceTables, Map<String, TableStatus> previous, boolean reload) throws InterruptedException {
        Map<String, TableId> byTopic = new LinkedHashMap<>();
        for (TableSchema table : sourceTables) {
            TableStatus before = previous.get(table.id().toString());
            if (before != null && before.status() == TableState.STOPPED) {
                lifecycle.stop(table.id(), before.reason());
                LOG.warn("Task '{}': table {} stays stopped ({}); reload the task to include it", task, table.id(), before.reason());
                reportTable(table.id(), TableState.STOPPED, before.reason());
            } else if (!table.hasPrimaryKey()) {
                reportWithoutKey(table.id());
                pendingState.add(state.tableRecord(table.id().toString(), new TableStatus(TableState.SKIPPED, withoutKeyReason(table.id()), null)));
            } else {
                name(table.id(), byTopic);
            }
        }
        openTopics(byTopic, reload);
    }

    /** Adds the table's topic name to {@code byTopic}, or stops the table when it cannot have one. */
    private void name(TableId table, Map<String, TableId> byTopic) {
        TopicNaming.Decision decision = naming.topicFor(variables(table));
        if (decision.topic() == null) {
            stopTable(table, null, "table " + table + " is not synced: " + decision.problem());
        } else if (byTopic.containsKey(decision.topic()) || tables.values().stream().anyMatch(t -> t.topic().equals(decision.topic()))) {
            throw new TaskProblem("Source tables " + byTopic.getOrDefault(decision.topic(), tableOfTopic(decision.topic())) + " and "
                    + table + " both map to topic " + decision.topic() + ": each table needs a topic of its own. Change the topic rule.");
        } else {
            byTopic.put(decision.topic(), table);
        }
    }

    private TableId tableOfTopic(String name) {
        return tables.entrySet().stream().filter(e -> e.getValue().topic().equals(name)).map(Map.Entry::getKey).findFirst().orElse(null);
    }

    /**
     * Creates the missing topics (a table whose topic Kafka refuses is stopped) and starts writing to them;
     * {@code reload}: the full load copies the tables first.
     */
    private void openTopics(Map<String, TableId> byTopic, boolean reload) throws InterruptedException {
        Map<String, String> refused = admin.createMissing(byTopic.keySet(), topicPartitions, replicationFactor(),
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, topicCleanupPolicy));
        refused.forEach((name, reason) -> {
            TableId table = byTopic.remove(name);
            stopTable(table, name, "table " + table + " is not synced: Kafka refused to create topic " + name + " (" + reason + ")");
        });
        Map<String, Integer> sizes = admin.maxMessageBytes(byTopic.keySet());
        byTopic.forEach((name, id) -> {
            int limit = Math.min(maxRequestSize, sizes.getOrDefault(name, maxRequestSize));
            tables.put(id, new TableTopic(name, names(id), limit));
            lifecycle.start(id, reload && !source.skipsFullLoad(id));
            pendingState.add(state.tableRecord(id.toString(), new TableStatus(TableState.SYNCING, null, name)));
            reportTable(id, TableState.SYNCING, null);
        });
    }

    /**
     * A full load that starts over (the first one, or one a crash interrupted: Debezium then reads every table again)
     * must not leave rows the source no longer has, as the JDBC sink empties its target tables: each key the topic
     * still holds as a row gets a delete (and a tombstone) before the full load's reads, committed at once.
     */
    private void retractRows(Consumer<byte[], byte[]> consumer, TableId table, TableTopic topic, Duration timeout) {
        Map<ByteBuffer, Boolean> rows = new LinkedHashMap<>();
        TopicReader.readAll(consumer, topic.topic(), timeout, (key, value) -> {
            if (key != null) {
                ByteBuffer id = ByteBuffer.wrap(key);
                rows.remove(id); // re-inserted last: keys are retracted in the order they were last written
                if (value != null && !records.isDelete(readJson(value))) {
                    rows.put(id, true);
                }
            }
        });
        long now = System.currentTimeMillis();
        for (ByteBuffer key : rows.keySet()) {
            Map<String, Object> keyValues = readKey(key.array());
            ChangeEvent delete = new ChangeEvent(table, Operation.DELETE, List.copyOf(keyValues.keySet()), keyValues, Map.of(), Set.of(), 0,
                    SourceOperation.DELETE, Instant.ofEpochMilli(now), RowImage.NONE, new SourcePosition.Marker("retracted-before-full-load"));
            // The key's own bytes, so the delete lands in the key's partition and compaction matches it.
            send(new ProducerRecord<>(topic.topic(), key.array(), records.change(delete, topic.names(), now)), delete, topic);
            if (tombstonesOnDelete) {
                send(new ProducerRecord<>(topic.topic(), key.array(), null), delete, topic);
            }
        }
        if (!rows.isEmpty()) {
            LOG.info("Task '{}': the full load starts over; the {} rows topic {} held are marked deleted first", task, rows.size(),
                    topic.topic());
        }
    }

    private static JsonNode readJson(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new TaskProblem("A record in a task topic is not JSON, so the task cannot tell which rows it holds: " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readKey(byte[] key) {
        try {
            return JSON.readValue(key, LinkedHashMap.class);
        } catch (IOException e) {
            throw new TaskProblem("A record key in a task topic is not a JSON object: " + e.getMessage());
        }
    }

    private Map<String, String> variables(TableId table) {
        return Map.of(TargetNaming.DATASOURCE, sourceNameOrTask(), TargetNaming.DATABASE, source.databaseOf(table),
                TargetNaming.SCHEMA, table.schema(), TargetNaming.TABLE, table.table());
    }

    private SourceNames names(TableId table) {
        return new SourceNames(connector, sourceNameOrTask(), source.databaseOf(table), table.schema(), table.table());
    }

    /**
     * Holds one batch of one table until the commit, which sends every held change in source order (so the newer
     * batches of {@code inOrder} are held already). Its table gets its topic now.
     */
    @Override
    protected boolean applyBatch(ChangeBatch batch, List<ChangeBatch> inOrder) throws Exception {
        if (topicOf(batch.table()) == null) {
            return false;
        }
        pending.add(batch);
        return true;
    }

    /** The held changes, the table statuses and the source position go into the open Kafka transaction, which commits. */
    @Override
    protected void commitTarget(Map<String, String> offsets) throws Exception {
        sendPending();
        stopTablesTheSourceCannotCapture();
        sendState();
        for (ProducerRecord<byte[], byte[]> record : state.offsetRecords(offsets)) {
            sendInTransaction(record, null, null);
        }
        commitTransaction();
        state.committed(offsets);
    }

    /** Inside a long source transaction: the held changes go into the open Kafka transaction, in source order. */
    @Override
    protected void flushHeld() throws Exception {
        sendPending();
    }

    /**
     * Sends every change handed over since the last commit, in source order: batches of one table can reach the
     * writer out of order (a batch completed by timeout can arrive after a newer one completed by size). Called once
     * every open batch was drained: later batches are all newer.
     */
    private void sendPending() throws Exception {
        if (pending.isEmpty()) {
            return;
        }
        List<ChangeEvent> changes = new ArrayList<>();
        pending.forEach(batch -> changes.addAll(batch.events()));
        pending.clear();
        batchOrder.drained();
        changes.sort(Comparator.comparingLong(ChangeEvent::sequence));
        long now = System.currentTimeMillis();
        for (ChangeEvent captured : changes) {
            TableTopic table = topicOf(captured.table());
            if (table == null) {
                continue;
            }
            RecordColumns columns = recordColumns.get(captured.table());
            ChangeEvent change = columns == null ? captured : columns.recorded(captured);
            byte[] key = records.key(change);
            send(new ProducerRecord<>(table.topic(), key, records.change(change, table.names(), now)), change, table);
            if (change.operation() == Operation.DELETE && tombstonesOnDelete) {
                // Lets compaction remove the key: the topic then holds exactly the source's rows.
                send(new ProducerRecord<>(table.topic(), key, null), change, table);
            }
        }
    }

    /** The topic of a table; a table created on the source after the start gets its topic now. Null when stopped. */
    private TableTopic topicOf(TableId table) throws Exception {
        if (lifecycle.isStopped(table)) {
            return null;
        }
        TableTopic known = tables.get(table);
        if (known != null) {
            return known;
        }
        if (!newTableAccepted(table)) {
            return null;
        }
        Map<String, TableId> byTopic = new LinkedHashMap<>();
        name(table, byTopic);
        openTopics(byTopic, false);
        return tables.get(table);
    }

    /** Sends a change's record, or, when its topic cannot take a record that large, its dead letter. */
    private void send(ProducerRecord<byte[], byte[]> record, ChangeEvent change, TableTopic table) {
        int size = AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE, CompressionType.NONE, record.key(),
                record.value(), record.headers().toArray());
        if (size > table.maxRecordBytes()) {
            deadLetter(change, table, "the record has " + size + " bytes, more than the " + table.maxRecordBytes() + " topic "
                    + table.topic() + " takes (max.message.bytes, maxRequestSize)");
            return;
        }
        sendInTransaction(record, change, table);
    }

    private void sendInTransaction(ProducerRecord<byte[], byte[]> record, ChangeEvent change, TableTopic table) {
        if (!inTransaction) {
            producer.beginTransaction();
            inTransaction = true;
        }
        transaction.add(new Sent(record, producer.send(record), change, table));
    }

    private void sendState() {
        for (ProducerRecord<byte[], byte[]> record : pendingState) {
            sendInTransaction(record, null, null);
        }
        pendingState.clear();
    }

    /**
     * A change Kafka cannot take goes, with the reason, to the dead-letter topic, in the same transaction; the table
     * goes on. Once the task has more than deadLetterLimit of them, it stops.
     */
    private void deadLetter(ChangeEvent change, TableTopic table, String reason) {
        long count = state.deadLetters() + 1;
        LOG.error("Task '{}': a change of {} at {} goes to dead-letter topic {}: {}", task, change.table(), change.position(),
                deadLetterTopicName(), reason);
        reportRowRefused(change.table(), "a change of " + change.table() + " at " + change.position()
                + " went to " + deadLetterTopicName() + ": " + reason, "DEAD_LETTER");
        if (count > deadLetterLimit) {
            throw new TaskProblem("more than " + deadLetterLimit + " changes went to dead-letter topic " + deadLetterTopicName()
                    + " (deadLetterLimit); the last: " + reason);
        }
        var letter = JSON.createObjectNode().put("task", task).put("table", change.table().toString()).put("topic", table.topic())
                .put("operation", change.sourceOperation().settingName()).put("position", change.position().toString())
                .put("event_time", change.eventTime().toString()).put("reason", reason);
        sendInTransaction(new ProducerRecord<>(deadLetterTopicName(), records.key(change), letter.toString().getBytes(StandardCharsets.UTF_8)),
                null, null);
        sendInTransaction(state.deadLetterCountRecord(count), null, null);
        deadLetters.refused(DeadLetters.Letter.of(change.table(), table.topic(), change, reason));
    }

    /**
     * Commits the open transaction. A broker that does not answer is waited for up to retrySeconds (the commit is
     * retried as it is); a transaction Kafka failed is aborted and sent again, any record Kafka refused for itself
     * (too large, invalid) replaced by its dead letter. Fencing (another run of this task took over) or a refused
     * authorisation stops the task.
     */
    private void commitTransaction() throws InterruptedException {
        if (!inTransaction) {
            return;
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(retrySeconds).toNanos();
        long backoffMs = 500;
        while (true) {
            try {
                if (!inTransaction) {
                    resendTransaction();
                }
                producer.commitTransaction();
                inTransaction = false;
                transaction = new ArrayList<>();
                deadLetters.committed();
                return;
            } catch (ProducerFencedException e) {
                fenced = true;
                throw new TaskProblem("another run of task '" + task + "' writes with the same transactional id and took over "
                        + "(this one was fenced); run each task once", e);
            } catch (AuthorizationException | AuthenticationException | UnsupportedVersionException | OutOfOrderSequenceException e) {
                throw e;
            } catch (TimeoutException e) {
                giveUpAfter(deadline, e);
                LOG.warn("Task '{}': Kafka not reachable to commit ({}); retrying", task, e.getMessage());
            } catch (KafkaException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                if (cause instanceof ProducerFencedException || cause instanceof AuthorizationException
                        || cause instanceof AuthenticationException) {
                    fenced = cause instanceof ProducerFencedException;
                    throw e;
                }
                giveUpAfter(deadline, e);
                LOG.warn("Task '{}': Kafka failed the transaction ({}); aborting it and sending it again", task, cause.toString());
                abortTransaction(deadline);
                Thread.sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 30_000);
            }
        }
    }

    private void abortTransaction(long deadline) {
        while (true) {
            try {
                producer.abortTransaction();
                inTransaction = false;
                return;
            } catch (TimeoutException e) {
                giveUpAfter(deadline, e);
            }
        }
    }

    /** Sends the aborted transaction's records again, each one Kafka refused for itself as its dead letter instead. */
    private void resendTransaction() {
        List<Sent> earlier = transaction;
        transaction = new ArrayList<>();
        for (Sent sent : earlier) {
            Optional<String> refused = refusal(sent.result());
            if (refused.isPresent() && sent.change() != null) {
                deadLetter(sent.change(), sent.table(), refused.get());
            } else {
                sendInTransaction(sent.record(), sent.change(), sent.table());
            }
        }
        if (!inTransaction) {
            producer.beginTransaction();
            inTransaction = true;
        }
    }

    /** Why Kafka refused this very record (not the transaction around it), if it did. */
    private static Optional<String> refusal(Future<RecordMetadata> result) {
        if (!result.isDone()) {
            return Optional.empty();
        }
        try {
            result.get();
            return Optional.empty();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return cause instanceof RecordTooLargeException || cause instanceof RecordBatchTooLargeException
                    || cause instanceof InvalidRecordException ? Optional.of("Kafka refused the record: " + cause.getMessage()) : Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private void giveUpAfter(long deadline, RuntimeException error) {
        if (System.nanoTime() > deadline) {
            throw new TaskProblem("Kafka at " + clients.bootstrapServers() + " could not commit for " + retrySeconds
                    + " s (retrySeconds): " + error.getMessage(), error);
        }
    }

    /**
     * A table's first row in this run gives the columns its records carry; later, a row whose columns were added or
     * dropped on the source asks the records to follow ({@link #followStructure}).
     */
    @Override
    protected boolean structureChanged(RowStructure shown) {
        RecordColumns known = recordColumns.get(shown.table());
        if (known == null) {
            remember(shown.table(), new RecordColumns(shown.columns()));
            return false;
        }
        if (known.addedIn(shown.columns()).isEmpty() && known.droppedIn(shown.columns()).isEmpty()) {
            known.changed(shown.columns(), Set.of(), Set.of());
            remember(shown.table(), known);
            return false;
        }
        return true;
    }

    /** Keeps the columns a table's records carry, and saves them with the next transaction when they changed. */
    private void remember(TableId table, RecordColumns columns) {
        recordColumns.put(table, columns);
        String json = columns.toJson();
        if (!json.equals(state.columns().get(table.toString()))) {
            pendingState.add(state.columnsRecord(table.toString(), json));
        }
    }

    /**
     * Each column added or dropped on the source follows its policy, once the records before it are sent. Applied,
     * records carry the columns as they come; not applied, they leave an added field out and keep a dropped one as
     * null. A type change needs nothing: records carry values, not types.
     */
    @Override
    protected void followStructure(RowStructure shown) {
        followColumns(shown.table(), shown.columns(), shown.typesTold());
    }

    private void followColumns(TableId id, List<String> columns, Map<String, String> types) {
        RecordColumns known = recordColumns.get(id);
        if (known == null) {
            return;
        }
        TableTopic topic = tables.get(id);
        String records = "the records of " + (topic == null ? id.toString() : topic.topic());
        Set<String> addsApplied = new java.util.HashSet<>();
        for (String added : known.addedIn(columns)) {
            if (decisions.decide(new SchemaChange.AddColumn(id, new Column(added, types.getOrDefault(added, "?"), true)), true,
                    records + " leave field " + added + " out")) {
                addsApplied.add(added);
            }
        }
        Set<String> dropsApplied = new java.util.HashSet<>();
        for (String gone : known.droppedIn(columns)) {
            if (decisions.decide(new SchemaChange.DropColumn(id, new Column(gone, "?", true)), true, records + " keep field " + gone + " as null")) {
                dropsApplied.add(gone);
            }
        }
        known.changed(columns, addsApplied, dropsApplied);
        remember(id, known);
    }

    /**
     * TRUNCATE: written as the format's truncate record (no key, so a compacted topic keeps the old rows' records)
     * when the truncate policy says apply (or writeTruncates is set); otherwise left as the policy says (Debezium
     * skips truncates by default).
     */
    private void truncated(TableId table) {
        TableTopic topic = tables.get(table);
        if (topic == null || lifecycle.isStopped(table)) {
            return;
        }
        if (decisions.decide(new SchemaChange.TruncateTable(table), true, "topic " + topic.topic() + " keeps its records")) {
            sendInTransaction(new ProducerRecord<>(topic.topic(), null, records.truncate(topic.names(), Instant.now(), System.currentTimeMillis())),
                    null, null);
            LOG.info("Task '{}': table {} was truncated on the source; the truncate record goes to {}", task, table, topic.topic());
        }
    }

    /**
     * TRUNCATE as above; DROP TABLE and RENAME TABLE leave the topic as it is (their policy decides whether an alert
     * says so or the task stops) and the task forgets the old name, so a table of that name later is a new one.
     */
    @Override
    protected void tableChanged(SchemaChange change) {
        if (change instanceof SchemaChange.TruncateTable truncate) {
            truncated(truncate.table());
        } else if (change instanceof SchemaChange.DropTable drop) {
            forget(drop, TableState.DROPPED, "dropped on the source");
        } else if (change instanceof SchemaChange.RenameTable rename) {
            forget(rename, TableState.RENAMED, "renamed to " + rename.to() + " on the source");
        }
    }

    private void forget(SchemaChange change, TableState status, String what) {
        TableTopic topic = tables.get(change.table());
        if (topic == null) {
            return;
        }
        String kept = "topic " + topic.topic() + " is kept as it is";
        decisions.decide(change, false, kept);
        tables.remove(change.table());
        if (recordColumns.remove(change.table()) != null) {
            pendingState.add(state.columnsRecord(change.table().toString(), null));
        }
        lifecycle.forget(change.table());
        pendingState.add(state.tableRecord(change.table().toString(), new TableStatus(status, what + "; " + kept, topic.topic())));
        reportTable(change.table(), status, what + "; " + kept);
    }

    @Override
    protected String targetKind() {
        return "Kafka";
    }

    @Override
    protected String withoutKeyReason(TableId table) {
        return "table " + table + " has no primary key and is not synced (its records would have no key to keep a row's "
                + "changes in order); add one (ALTER TABLE ... ADD PRIMARY KEY) and restart the task to include it";
    }

    /** Joins the next transaction, with the changes it follows. */
    @Override
    protected void recordTableState(TableId table, TableState status, String reason) {
        pendingState.add(state.tableRecord(table.toString(), new TableStatus(status, reason, null)));
    }

    /** Stops one table visibly (status in the state topic, log, alert); the task and its other tables go on. */
    private void stopTable(TableId table, String topicName, String reason) {
        lifecycle.stop(table, reason);
        LOG.error("Task '{}': table {} is stopped: {}", task, table, reason);
        pendingState.add(state.tableRecord(table.toString(), new TableStatus(TableState.STOPPED, reason, topicName)));
        reportTableStopped(table, reason);
    }

    /**
     * A source that cannot capture tables created while the task runs (PostgreSQL with a filtered publication) would
     * silently leave them out: look for such tables now and then, and stop each visibly.
     */
    private void stopTablesTheSourceCannotCapture() {
        tablesTheSourceCannotCapture(source, tables.keySet()).forEach((table, reason) -> stopTable(table, null, reason));
    }

    @Override
    public synchronized List<String> schemaHistory() {
        return state == null ? List.of() : state.history();
    }

    /** Joins the open transaction, so the record commits with the changes it precedes. */
    @Override
    public synchronized void appendSchemaHistory(String record) {
        ensureRunning();
        sendInTransaction(state.historyRecord(record), null, null);
    }

    /** Closes the clients; an unfinished transaction is left to the broker, which aborts it (or the next run fences it). */
    private void closeClients() {
        if (producer != null) {
            try {
                producer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.debug("Closing the Kafka producer of task '{}': {}", task, e.toString());
            }
            producer = null;
            inTransaction = false;
        }
        if (admin != null) {
            admin.close();
            admin = null;
        }
    }

    private short replicationFactor() {
        return (short) topicReplicationFactor;
    }

    private String transactionalIdName() {
        return nameOr(transactionalId, "realtime-sync-" + task);
    }

    private String deadLetterTopicName() {
        return nameOr(deadLetterTopic, "realtime-sync." + task + ".dead-letter");
    }

    private String sourceNameOrTask() {
        return sourceName == null || sourceName.isBlank() ? task : sourceName;
    }

    private static String nameOr(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    public void setKafka(KafkaComponent kafka) {
        this.kafka = kafka;
    }

    public void setSecurityProtocol(String securityProtocol) {
        this.securityProtocol = securityProtocol;
    }

    public void setTopic(String topic) {
        this.topic = topic;
    }

    public void setInvalidTopicNames(String invalidTopicNames) {
        this.invalidTopicNames = invalidTopicNames;
    }

    public void setFormat(String format) {
        this.format = format;
    }

    public void setTimestampFormat(String timestampFormat) {
        this.timestampFormat = timestampFormat;
    }

    public void setTombstonesOnDelete(boolean tombstonesOnDelete) {
        this.tombstonesOnDelete = tombstonesOnDelete;
    }

    public void setWriteTruncates(boolean writeTruncates) {
        this.writeTruncates = writeTruncates;
    }

    public void setTopicPartitions(int topicPartitions) {
        this.topicPartitions = topicPartitions;
    }

    public void setTopicReplicationFactor(int topicReplicationFactor) {
        this.topicReplicationFactor = topicReplicationFactor;
    }

    public void setTopicCleanupPolicy(String topicCleanupPolicy) {
        this.topicCleanupPolicy = topicCleanupPolicy;
    }

    public void setStateTopic(String stateTopic) {
        this.stateTopic = stateTopic;
    }

    public void setDeadLetterTopic(String deadLetterTopic) {
        this.deadLetterTopic = deadLetterTopic;
    }

    public void setTransactionalId(String transactionalId) {
        this.transactionalId = transactionalId;
    }

    public void setSourceName(String sourceName) {
        this.sourceName = sourceName;
    }

    public void setMaxRequestSize(int maxRequestSize) {
        this.maxRequestSize = maxRequestSize;
    }

    public void setRetrySeconds(long retrySeconds) {
        this.retrySeconds = retrySeconds;
    }

    public void setConnectTimeoutSeconds(long connectTimeoutSeconds) {
        this.connectTimeoutSeconds = connectTimeoutSeconds;
    }

    public void setSchemaChanges(String schemaChanges) {
        this.schemaChanges = schemaChanges;
    }

    public void setDeadLetterLimit(long deadLetterLimit) {
        this.deadLetterLimit = deadLetterLimit;
    }
}
