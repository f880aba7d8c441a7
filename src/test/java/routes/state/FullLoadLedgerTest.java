package routes.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import routes.fullload.Watermark;

class FullLoadLedgerTest {

    private static final String KEY = "[\"task\",{\"server\":\"task\"}]";

    @Test
    void watermarkKeepsOffsetsAndSchemaHistory() {
        Watermark watermark = new Watermark(Map.of(KEY, "{\"file\":\"mysql-bin.000003\",\"pos\":1234,\"gtids\":\"0-1-18\"}"),
                List.of("{\"ddl\":\"USE `shop`\"}", "{\"ddl\":\"CREATE TABLE `t` (`id` int)\"}"));
        FullLoadLedger.Plan plan = new FullLoadLedger.Plan(FullLoadLedger.watermark(watermark), List.of());
        assertEquals(watermark, FullLoadLedger.watermark(plan));
    }

    @Test
    void aPlanSavedWithOffsetsAloneStillResumes() {
        FullLoadLedger.Plan plan = new FullLoadLedger.Plan("{\"" + KEY.replace("\"", "\\\"") + "\":\"{\\\"lsn\\\":42}\"}", List.of());
        assertEquals(new Watermark(Map.of(KEY, "{\"lsn\":42}"), List.of()), FullLoadLedger.watermark(plan));
    }
}
