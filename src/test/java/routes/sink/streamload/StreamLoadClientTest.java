package routes.sink.streamload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import routes.change.ChangeEvent;
import routes.change.Operation;
import routes.change.RowImage;
import routes.change.SourceOperation;
import routes.change.SourcePosition;
import routes.change.TableId;
import routes.sink.streamload.StreamLoadEmulator.ColumnDef;

/** The HTTP side against the emulator: redirect, credentials, 100-continue, labels, refused rows, faults, 2PC. */
class StreamLoadClientTest {

    private static final String PASSWORD = "Pa55+w0rd/&%=";
    private static final TableId ITEMS = new TableId("ods", "items");

    private StreamLoadEmulator emulator;
    private DefaultCamelContext camel;
    private StreamLoadClient client;
    private final List<Long> sleeps = new ArrayList<>();
    private long sequence;

    @BeforeEach
    void start() throws Exception {
        emulator = StreamLoadEmulator.start("loader", PASSWORD);
        emulator.createTable("ods", "items", List.of(new ColumnDef("id", "BIGINT", false), new ColumnDef("name", "VARCHAR(8)", true),
                new ColumnDef("price", "DECIMAL(8,2)", true)), List.of("id"));
        camel = new DefaultCamelContext();
        camel.start();
        client = new StreamLoadClient(camel, emulator.frontendUrl(), "loader", PASSWORD, 10_000);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        camel.stop();
        emulator.close();
    }

    private TableLoads loads(StreamLoadFlavour flavour, boolean twoPhase) {
        return new TableLoads(client, flavour, twoPhase, Duration.ofSeconds(20), ms -> {
            sleeps.add(ms);
            Thread.sleep(Math.min(ms, 300));
        });
    }

    @Test
    void loadFollowsTheRedirectWithCredentialsAndSendsTheBodyOnlyToTheBackend() throws Exception {
        TableLoads.Loaded loaded = loads(StreamLoadFlavour.DORIS, false).load(ITEMS, "l1", List.of(upsert(1, "a", "1.50"), upsert(2, "b", null)),
                List.of("id", "name", "price"), false);

        assertEquals(-1, loaded.txnId());
        assertFalse(loaded.alreadyLoaded());
        assertEquals(Map.of("id", "1", "name", "a", "price", "1.50"), emulator.rows("ods", "items").get(List.of("1")));
        assertEquals(2, emulator.rows("ods", "items").size());
        assertEquals(1, emulator.redirects.get());
        assertEquals(0, emulator.unauthorized.get(), "the BE got the credentials too");
        assertEquals(0, emulator.loadsWithoutExpect.get());
        assertEquals(0, emulator.bodyBytesSentToFrontend.get(), "Expect: 100-continue keeps the body away from the FE");
    }

    @Test
    void bigBatchesTravelOnceToTheBackend() throws Exception {
        List<ChangeEvent> rows = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            rows.add(upsert(i, "n" + (i % 1000), i + ".25"));
        }
        loads(StreamLoadFlavour.DORIS, false).load(ITEMS, "big", rows, List.of("id", "name", "price"), false);
        assertEquals(20_000, emulator.rows("ods", "items").size());
        assertEquals(0, emulator.bodyBytesSentToFrontend.get());
        assertTrue(sleeps.isEmpty(), "no retries: " + sleeps);
    }

    @Test
    void deletesGoThroughTheDeleteSignOrOp() throws Exception {
        for (StreamLoadFlavour flavour : StreamLoadFlavour.values()) {
            TableLoads loads = loads(flavour, false);
            loads.load(ITEMS, "up-" + flavour, List.of(upsert(1, "a", "1"), upsert(2, "b", "2")), List.of("id", "name", "price"), false);
            loads.load(ITEMS, "del-" + flavour, List.of(delete(1), upsert(3, "c", "3")), List.of("id", "name", "price"), false);
            assertEquals(Set.of(List.of("2"), List.of("3")), emulator.rows("ods", "items").keySet(), flavour.name());
            loads.load(ITEMS, "clear-" + flavour, List.of(delete(2), delete(3)), List.of("id", "name", "price"), false);
        }
    }

    @Test
    void partialRowsKeepTheColumnsTheyLack() throws Exception {
        TableLoads loads = loads(StreamLoadFlavour.DORIS, false);
        loads.load(ITEMS, "full", List.of(upsert(1, "a", "1.00")), List.of("id", "name", "price"), false);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", 1L);
        row.put("price", "2.00");
        ChangeEvent partial = new ChangeEvent(ITEMS, Operation.UPSERT, List.of("id"), Map.of("id", 1L), row, Set.of("name"), ++sequence,
                SourceOperation.UPDATE, Instant.EPOCH, RowImage.NONE, SourcePosition.parse("lsn:" + sequence));
        loads.load(ITEMS, "partial", List.of(partial), List.of("id", "price"), true);
        assertEquals(Map.of("id", "1", "name", "a", "price", "2.00"), emulator.rows("ods", "items").get(List.of("1")));
        assertEquals(1, emulator.partialUpdates.get());
    }

    @Test
    void aLabelLoadedBeforeIsRecognisedNotLoadedTwice() throws Exception {
        TableLoads loads = loads(StreamLoadFlavour.DORIS, false);
        loads.load(ITEMS, "same", List.of(upsert(1, "a", "1")), List.of("id", "name", "price"), false);
        TableLoads.Loaded again = loads.load(ITEMS, "same", List.of(upsert(1, "changed", "9")), List.of("id", "name", "price"), false);

        assertTrue(again.alreadyLoaded());
        assertEquals(1, emulator.loadsCommitted.get());
        assertEquals(1, emulator.labelAlreadyExistsAnswered.get());
        assertEquals("a", emulator.rows("ods", "items").get(List.of("1")).get("name"));
    }

    @Test
    void aLostAnswerIsSettledByTheLabel() throws Exception {
        emulator.dropNextLoadAnswers(1);
        TableLoads.Loaded loaded = loads(StreamLoadFlavour.DORIS, false).load(ITEMS, "lost", List.of(upsert(1, "a", "1")),
                List.of("id", "name", "price"), false);

        assertTrue(loaded.alreadyLoaded(), "sent again under its label: the target says it has it");
        assertEquals(1, emulator.answersDropped.get());
        assertEquals(1, emulator.loadsCommitted.get());
    }

    @Test
    void aLabelStillRunningIsWaitedFor() throws Exception {
        emulator.holdLabelRunning("ods", "items", "busy", 1_200);
        long start = System.nanoTime();
        TableLoads.Loaded loaded = loads(StreamLoadFlavour.DORIS, false).load(ITEMS, "busy", List.of(upsert(1, "a", "1")),
                List.of("id", "name", "price"), false);

        assertTrue(loaded.alreadyLoaded());
        assertTrue(System.nanoTime() - start >= 1_000_000_000L, "waited until the running load finished");
        assertFalse(sleeps.isEmpty());
        assertEquals(0, emulator.loadsCommitted.get());
    }

    @Test
    void tooManyVersionsBacksOffAndSendsAgain() throws Exception {
        emulator.failNextLoadsWithTooManyVersions(3);
        loads(StreamLoadFlavour.DORIS, false).load(ITEMS, "v", List.of(upsert(1, "a", "1")), List.of("id", "name", "price"), false);

        assertEquals(3, emulator.tooManyVersionsAnswered.get());
        assertEquals(List.of(500L, 1000L, 2000L), sleeps, "exponential backoff");
        assertEquals(1, emulator.rows("ods", "items").size());
    }

    @Test
    void publishTimeoutMeansCommitted() throws Exception {
        emulator.answerNextLoadsWithPublishTimeout(1);
        TableLoads.Loaded loaded = loads(StreamLoadFlavour.DORIS, false).load(ITEMS, "p", List.of(upsert(1, "a", "1")),
                List.of("id", "name", "price"), false);

        assertFalse(loaded.alreadyLoaded());
        assertTrue(sleeps.isEmpty(), "not sent again");
        assertEquals(1, emulator.publishTimeoutsAnswered.get());
    }

    @Test
    void refusedRowsAreReadFromTheErrorUrlAndTheOthersLoaded() throws Exception {
        TableLoads.Loaded loaded = loads(StreamLoadFlavour.DORIS, false).load(ITEMS, "bad",
                List.of(upsert(1, "fine", "1"), upsert(2, "far too long", "2"), upsert(3, "ok", "123456789")), List.of("id", "name", "price"), false);

        assertEquals(2, loaded.refused().size(), loaded.refused().toString());
        assertTrue(loaded.refused().get(0).reason().contains("too long"), loaded.refused().get(0).reason());
        assertTrue(loaded.refused().get(0).row().contains("\"id\":2"), loaded.refused().get(0).row());
        assertTrue(loaded.refused().get(1).reason().contains("decimal"), loaded.refused().get(1).reason());
        assertEquals(Set.of(List.of("1")), emulator.rows("ods", "items").keySet());
        assertEquals(1, emulator.loadsRejected.get());
        assertEquals(2, emulator.rowsFiltered.get());
    }

    @Test
    void aBatchWhoseEveryRowIsRefusedIsNotSentAgain() throws Exception {
        TableLoads.Loaded loaded = loads(StreamLoadFlavour.DORIS, false).load(ITEMS, "all-bad", List.of(upsert(9, "much too long", "1")),
                List.of("id", "name", "price"), false);

        assertEquals(1, loaded.refused().size());
        assertEquals(1, emulator.loadsRejected.get());
        assertEquals(0, emulator.loadsCommitted.get(), "nothing was left to load");
        assertTrue(emulator.rows("ods", "items").isEmpty());
    }

    @Test
    void twoPhaseCommitPrecommitsThenCommits() throws Exception {
        TableLoads.Loaded loaded = loads(StreamLoadFlavour.DORIS, true).load(ITEMS, "tx", List.of(upsert(1, "a", "1")),
                List.of("id", "name", "price"), false);

        assertTrue(loaded.txnId() > 0);
        assertTrue(emulator.rows("ods", "items").isEmpty(), "precommitted rows are not visible");
        assertEquals(StreamLoadClient.TxnState.COMMITTED, client.finishTransaction("ods", loaded.txnId(), true));
        assertEquals(1, emulator.rows("ods", "items").size());
        assertEquals(StreamLoadClient.TxnState.COMMITTED, client.finishTransaction("ods", loaded.txnId(), true), "committing twice is harmless");

        TableLoads.Loaded second = loads(StreamLoadFlavour.DORIS, true).load(ITEMS, "tx2", List.of(upsert(2, "b", "2")),
                List.of("id", "name", "price"), false);
        emulator.abortOnNextCommits(1);
        assertEquals(StreamLoadClient.TxnState.ABORTED, client.finishTransaction("ods", second.txnId(), true));
        assertEquals(1, emulator.rows("ods", "items").size());
    }

    @Test
    void aPrecommittedLabelNobodyRecordedIsAbortedAndLoadedAgain() throws Exception {
        TableLoads twoPhase = loads(StreamLoadFlavour.DORIS, true);
        long orphan = twoPhase.load(ITEMS, "orphan", List.of(upsert(1, "a", "1")), List.of("id", "name", "price"), false).txnId();
        TableLoads.Loaded again = twoPhase.load(ITEMS, "orphan", List.of(upsert(1, "a", "1")), List.of("id", "name", "price"), false);

        assertTrue(again.txnId() > orphan, "a new transaction took the label");
        assertEquals(1, emulator.transactionsAborted.get());
        assertEquals(1, emulator.precommittedTransactions());
    }

    @Test
    void wrongCredentialsFailWithoutShowingThePassword() {
        StreamLoadClient wrong = new StreamLoadClient(camel, emulator.frontendUrl(), "loader", "not-" + PASSWORD, 10_000);
        TableLoads loads = new TableLoads(wrong, StreamLoadFlavour.DORIS, false, Duration.ofSeconds(5), ms -> { });
        StreamLoadException e = assertThrows(StreamLoadException.class,
                () -> loads.load(ITEMS, "x", List.of(upsert(1, "a", "1")), List.of("id", "name", "price"), false));
        assertTrue(e.getMessage().contains("credentials"), e.getMessage());
        assertFalse(e.getMessage().contains(PASSWORD));
        wrong.close();
    }

    @Test
    void anUnreachableTargetIsRetriedThenReportedWithoutThePassword() throws Exception {
        String url = emulator.frontendUrl();
        emulator.close();
        StreamLoadClient away = new StreamLoadClient(camel, url, "loader", PASSWORD, 2_000);
        TableLoads loads = new TableLoads(away, StreamLoadFlavour.DORIS, false, Duration.ofMillis(1), ms -> { });
        StreamLoadException e = assertThrows(StreamLoadException.class,
                () -> loads.load(ITEMS, "x", List.of(upsert(1, "a", "1")), List.of("id", "name", "price"), false));
        assertTrue(e.getMessage().contains("no answer"), e.getMessage());
        assertFalse(e.getMessage().contains(PASSWORD));
        assertFalse(e.getMessage().contains(java.util.Base64.getEncoder().encodeToString(("loader:" + PASSWORD).getBytes())));
        away.close();
    }

    private ChangeEvent upsert(long id, String name, String price) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("name", name);
        row.put("price", price);
        return new ChangeEvent(ITEMS, Operation.UPSERT, List.of("id"), Map.of("id", id), row, Set.of(), ++sequence, SourceOperation.INSERT,
                Instant.EPOCH, RowImage.NONE, SourcePosition.parse("lsn:" + sequence));
    }

    private ChangeEvent delete(long id) {
        return new ChangeEvent(ITEMS, Operation.DELETE, List.of("id"), Map.of("id", id), Map.of(), Set.of(), ++sequence,
                SourceOperation.DELETE, Instant.EPOCH, RowImage.NONE, SourcePosition.parse("lsn:" + sequence));
    }
}
