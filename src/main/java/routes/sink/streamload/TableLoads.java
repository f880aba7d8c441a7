package routes.sink.streamload;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import routes.change.ChangeEvent;
import routes.change.TableId;

/**
 * Loads one labelled part of a batch until the target has it: the answer's Status decides, not the HTTP code.
 * Transient refusals (no answer, too many versions, busy) are sent again with backoff under the same label, so a
 * load that did happen is recognised rather than repeated. Refused rows are read from the ErrorURL and the load is
 * sent again letting exactly those be filtered.
 */
final class TableLoads {

    private static final Logger LOG = LoggerFactory.getLogger(TableLoads.class);
    private static final long FIRST_BACKOFF_MS = 500;
    private static final long MAX_BACKOFF_MS = 30_000;

    /** What happened to a part: the transaction to commit (two-phase commit; -1 otherwise), and the refused rows. */
    record Loaded(long txnId, boolean alreadyLoaded, List<ErrorRows.Refused> refused) {
    }

    /** The label is free again (its load was aborted): send the batch at once. */
    private static final Loaded SEND_AGAIN = new Loaded(-1, false, List.of());

    /** Waits between attempts (tests shorten it). */
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private final StreamLoadClient client;
    private final StreamLoadFlavour flavour;
    private final boolean twoPhaseCommit;
    private final Duration retryFor;
    private final Sleeper sleeper;

    TableLoads(StreamLoadClient client, StreamLoadFlavour flavour, boolean twoPhaseCommit, Duration retryFor, Sleeper sleeper) {
        this.client = client;
        this.flavour = flavour;
        this.twoPhaseCommit = twoPhaseCommit;
        this.retryFor = retryFor;
        this.sleeper = sleeper;
    }

    /**
     * Loads changes (distinct keys) into a table under a label.
     *
     * @param columns the columns the rows carry (StarRocks lists them with {@code __op})
     * @param partial the rows carry only some columns: the others keep their values on the target
     */
    Loaded load(TableId target, String label, List<ChangeEvent> changes, List<String> columns, boolean partial) throws Exception {
        byte[] body = JsonRows.of(changes, flavour.deleteField);
        Map<String, String> headers = new LinkedHashMap<>(flavour.deleteHeaders(columns));
        // Values that do not convert are refused (and kept as dirty rows), never loaded as NULL.
        headers.put("strict_mode", "true");
        if (partial) {
            headers.put(flavour.partialUpdateHeader(), "true");
        }
        if (twoPhaseCommit) {
            headers.put("two_phase_commit", "true");
        }
        List<ErrorRows.Refused> refused = new ArrayList<>();
        long deadline = System.nanoTime() + retryFor.toNanos();
        long backoff = FIRST_BACKOFF_MS;
        boolean resentAtOnce = false;
        while (true) {
            String why;
            try {
                LoadResponse answer = client.load(target.schema(), target.table(), label, body, headers);
                switch (answer.outcome(twoPhaseCommit)) {
                    case LOADED:
                        return new Loaded(-1, false, refused);
                    case PRECOMMITTED:
                        return new Loaded(answer.txnId(), false, refused);
                    case ALREADY_LOADED:
                        LOG.info("Load {} into {} was done before (Label Already Exists, {}): not loaded again", label, target,
                                answer.existingJobStatus());
                        return new Loaded(-1, true, refused);
                    case LABEL_BUSY:
                        Loaded settled = settleBusyLabel(target, label, answer);
                        if (settled == SEND_AGAIN && !resentAtOnce) {
                            resentAtOnce = true; // once: a target that keeps saying so is waited for like a running load
                            continue;
                        }
                        if (settled != null && settled != SEND_AGAIN) {
                            return settled;
                        }
                        why = "a load with label " + label + " is still running";
                        break;
                    case RETRY:
                        why = "the target refused for now (" + answer.describe() + ")";
                        break;
                    case REJECTED_ROWS:
                        if (headers.containsKey("max_filter_ratio")) {
                            throw new StreamLoadException("load " + label + " into " + target + " failed again after its refused rows were "
                                    + "set aside: " + answer.describe(), false);
                        }
                        refused.addAll(ErrorRows.parse(client.errorRows(answer.errorUrl())));
                        if (refused.isEmpty()) {
                            throw new StreamLoadException("load " + label + " into " + target + " failed and its ErrorURL lists no rows: "
                                    + answer.describe(), false);
                        }
                        if (refused.size() >= changes.size()) {
                            // Nothing left to load (how a target answers a load whose every row is filtered varies).
                            LOG.warn("Load {} into {}: the target refused every row ({}); they go to the dirty rows", label, target,
                                    answer.describe());
                            return new Loaded(-1, false, refused);
                        }
                        LOG.warn("Load {} into {}: the target refused {} rows ({}); loading the others, the refused ones go to the "
                                + "dirty rows", label, target, refused.size(), answer.describe());
                        // The label of a failed load is free again: the same batch goes in, letting just those rows be filtered.
                        headers.put("max_filter_ratio", "1");
                        continue;
                    default:
                        throw new StreamLoadException("load " + label + " into " + target + " failed: " + answer.describe(), false);
                }
            } catch (StreamLoadException e) {
                if (!e.isTransient()) {
                    throw e;
                }
                why = e.getMessage();
            }
            if (System.nanoTime() > deadline) {
                throw new StreamLoadException("load " + label + " into " + target + " did not succeed within " + retryFor.toSeconds()
                        + " s; last: " + why, false);
            }
            LOG.warn("Load {} into {}: {}; backing off {} ms, then sending it again", label, target, why, backoff);
            sleeper.sleep(backoff);
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        }
    }

    /**
     * A label in use by an unfinished load: done by now (committed, or precommitted by an earlier run that never
     * recorded it, which is aborted so this batch can go in), or still running (null: wait and send again).
     */
    private Loaded settleBusyLabel(TableId target, String label, LoadResponse answer) throws Exception {
        String state;
        try {
            state = client.loadState(target.schema(), label);
        } catch (StreamLoadException e) {
            return null;
        }
        switch (state) {
            case "VISIBLE", "COMMITTED", "FINISHED":
                return new Loaded(-1, true, List.of());
            case "PRECOMMITTED":
                if (answer.existingTxnId().isPresent()) {
                    long txn = answer.existingTxnId().get();
                    LOG.info("Load {} into {} was precommitted by an earlier run that did not record it: aborting transaction {} "
                            + "and loading the batch again", label, target, txn);
                    client.finishTransaction(target.schema(), txn, false);
                    return SEND_AGAIN;
                }
                return null;
            case "ABORTED":
                return SEND_AGAIN; // the label is free: sending again takes it
            default:
                return null; // PREPARE: still loading
        }
    }
}
