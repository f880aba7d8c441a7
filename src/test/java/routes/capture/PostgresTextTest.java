package routes.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.OffsetTime;

import org.junit.jupiter.api.Test;
import org.postgresql.geometric.PGpoint;
import org.postgresql.util.PGInterval;

import io.debezium.connector.postgresql.PostgresValueConverter;

/** PostgreSQL's own text for what the JDBC driver and Debezium's log decoder make of a value. */
class PostgresTextTest {

    @Test
    void intervalsAsPostgresWritesThem() throws SQLException {
        assertEquals("1 year 2 mons 3 days 04:05:06.789", PostgresText.interval(new PGInterval("1 year 2 mons 3 days 04:05:06.789")));
        assertEquals("-1 days +23:59:59.999999", PostgresText.interval(new PGInterval("-1 days +23:59:59.999999")));
        assertEquals("1 mon -1 days", PostgresText.interval(new PGInterval("1 mon -1 days")));
        assertEquals("-178000000 years", PostgresText.interval(new PGInterval("-178000000 years")));
        assertEquals("1 day 25:00:00", PostgresText.interval(new PGInterval("1 day 25:00:00")));
        assertEquals("00:00:00", PostgresText.interval(new PGInterval(0, 0, 0, 0, 0, 0.0)));
        assertEquals("-00:00:01.5", PostgresText.interval(new PGInterval(0, 0, 0, 0, 0, -1.5)));
    }

    @Test
    void logDecoderDatesKeepEraAndInfinity() {
        assertEquals("4713-01-01 BC", PostgresText.of("date", LocalDate.of(-4712, 1, 1)));
        assertEquals("1582-10-04", PostgresText.of("date", LocalDate.of(1582, 10, 4)));
        assertEquals("infinity", PostgresText.of("date", PostgresValueConverter.POSITIVE_INFINITY_LOCAL_DATE));
        assertEquals("-infinity", PostgresText.of("timestamp", PostgresValueConverter.NEGATIVE_INFINITY_INSTANT));
        assertEquals("4713-01-01 00:00:00 BC", PostgresText.of("timestamp", Instant.parse("-4712-01-01T00:00:00Z")));
        assertEquals("294276-12-31 23:59:59.999999+00", PostgresText.of("timestamptz", OffsetDateTime.parse("+294276-12-31T23:59:59.999999Z")));
        assertEquals("2024-02-29 18:00:00.5+00", PostgresText.of("timestamptz", OffsetDateTime.parse("2024-02-29T23:45:00.5+05:45")));
        assertEquals("11:45:30.123456+00", PostgresText.of("timetz", OffsetTime.parse("11:45:30.123456Z")));
        assertEquals("0009-03-04 05:06:07.00008", PostgresText.of("timestamp", Instant.parse("0009-03-04T05:06:07.000080Z")));
        assertEquals("0001-01-01 00:00:00 BC", PostgresText.of("timestamp", Instant.parse("0000-01-01T00:00:00Z")));
        assertEquals("2026-11-21 23:59:00.1", PostgresText.of("timestamp", Instant.parse("2026-11-21T23:59:00.100Z")));
        assertEquals("00:00:00.000001+00", PostgresText.of("timetz", OffsetTime.parse("00:00:00.000001Z")));
    }

    @Test
    void pointsWithPostgresDigits() {
        assertEquals("(1.5,-2.5)", PostgresText.of("point", new PGpoint(1.5, -2.5)));
        assertEquals("(9,-9)", PostgresText.of("point", new PGpoint(9, -9)));
        assertEquals("(1e-300,-1.7976931348623157e+308)", PostgresText.of("point", new PGpoint(1e-300, -1.7976931348623157e308)));
        assertEquals("(-0,0.0001)", PostgresText.of("point", new PGpoint(-0.0, 0.0001)));
        assertEquals("1e-05", PostgresText.float8(0.00001));
        assertEquals("123456789012345", PostgresText.float8(123456789012345.0));
        assertEquals("1.2345678901234568e+15", PostgresText.float8(1234567890123456.8));
    }

    @Test
    void moneyExactToTheCentOrRefused() {
        assertEquals("12.34", PostgresText.of("money", 12.34));
        assertEquals("-9999999999999.99", PostgresText.of("money", -9_999_999_999_999.99));
        assertEquals("money beyond 10^13 arrives rounded from the capture (9.223372036854776E16) and is refused",
                PostgresText.of("money", 92233720368547758.07));
    }
}
