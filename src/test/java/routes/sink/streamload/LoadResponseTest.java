package routes.sink.streamload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import routes.sink.streamload.LoadResponse.Outcome;

/** Answers as Doris documents them (fields and texts from its manual and release notes). */
class LoadResponseTest {

    @Test
    void successAndPublishTimeoutAreLoaded() {
        assertEquals(Outcome.LOADED, LoadResponse.parse(answer("Success", "OK", "")).outcome(false));
        assertEquals(Outcome.PRECOMMITTED, LoadResponse.parse(answer("Success", "OK", "")).outcome(true));
        assertEquals(Outcome.LOADED, LoadResponse.parse(answer("Publish Timeout", "transaction commit successfully, BUT data will be "
                + "visible later", "")).outcome(false), "committed; published later");
    }

    @Test
    void labelAlreadyExistsDependsOnTheExistingJob() {
        String finished = """
                {"TxnId": -1, "Label": "l1", "TwoPhaseCommit": "false", "Status": "Label Already Exists", "ExistingJobStatus": "FINISHED",
                 "Message": "errCode = 2, detailMessage = Label [l1] has already been used, relate to txn [602531767123968]"}""";
        LoadResponse response = LoadResponse.parse(finished);
        assertEquals(Outcome.ALREADY_LOADED, response.outcome(false));
        assertEquals(Optional.of(602531767123968L), response.existingTxnId());
        assertEquals(Outcome.LABEL_BUSY, LoadResponse.parse(finished.replace("FINISHED", "RUNNING")).outcome(false));
        assertEquals(Outcome.LABEL_BUSY, LoadResponse.parse(finished.replace("\"FINISHED\"", "\"\"")).outcome(false),
                "an empty status (a known Doris cloud-mode gap) is checked, not trusted");
    }

    @Test
    void failIsToldApartByItsMessage() {
        assertEquals(Outcome.RETRY, LoadResponse.parse(answer("Fail", "[E-235]failed to init rowset builder. version count: 2001, "
                + "exceed limit: 2000, tablet: 10086", "")).outcome(false));
        assertEquals(Outcome.RETRY, LoadResponse.parse(answer("Fail", "too many versions", "")).outcome(false));
        assertEquals(Outcome.REJECTED_ROWS, LoadResponse.parse(answer("Fail", "[DATA_QUALITY_ERROR]too many filtered rows",
                "http://be:8040/api/_load_error_log?file=__shard_0/error_log_insert_stmt_1")).outcome(false));
        assertEquals(Outcome.FAILED, LoadResponse.parse(answer("Fail", "errCode = 7, detailMessage = unknown table", "")).outcome(false));
        assertEquals(Outcome.FAILED, LoadResponse.parse("<html>502 Bad Gateway</html>").outcome(false), "not an answer at all");
    }

    @Test
    void theHttpCodeIsNotWhatDecides() {
        // A failed load answers HTTP 200: only the body tells; the parser never sees the code.
        LoadResponse failed = LoadResponse.parse(answer("Fail", "errCode = 2, detailMessage = too many filtered rows", ""));
        assertEquals(Outcome.FAILED, failed.outcome(false));
        assertTrue(failed.describe().contains("Status=Fail"));
    }

    @Test
    void errorRowsKeepReasonAndRow() {
        String text = """
                Reason: column_name[name], the length of input is too long than schema. first 32 bytes of input str: [far too long] schema length: 8; actual length: 12; . src line [{"id":2,"name":"far too long","__DORIS_DELETE_SIGN__":0}];\s
                Reason: column(price) the precision or scale of decimal is out of range, value: 123456789. src line [{"id":3,"price":"123456789"}];\s
                something else entirely
                """;
        List<ErrorRows.Refused> rows = ErrorRows.parse(text);
        assertEquals(3, rows.size());
        assertTrue(rows.get(0).reason().startsWith("column_name[name], the length of input is too long"), rows.get(0).reason());
        assertEquals("{\"id\":2,\"name\":\"far too long\",\"__DORIS_DELETE_SIGN__\":0}", rows.get(0).row());
        assertEquals("{\"id\":3,\"price\":\"123456789\"}", rows.get(1).row());
        assertEquals(new ErrorRows.Refused("something else entirely", ""), rows.get(2));
    }

    private static String answer(String status, String message, String errorUrl) {
        return "{\"TxnId\": 1001, \"Label\": \"l\", \"Status\": \"" + status + "\", \"Message\": \"" + message + "\", \"NumberTotalRows\": 2, "
                + "\"NumberLoadedRows\": 2, \"NumberFilteredRows\": 0" + (errorUrl.isEmpty() ? "" : ", \"ErrorURL\": \"" + errorUrl + "\"") + "}";
    }
}
