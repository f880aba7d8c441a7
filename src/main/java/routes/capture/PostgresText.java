package routes.capture;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.sql.SQLException;
import java.sql.SQLXML;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.TimeZone;

import org.postgresql.PGStatement;
import org.postgresql.geometric.PGpoint;
import org.postgresql.util.PGmoney;
import org.postgresql.util.PGInterval;
import org.postgresql.util.PGobject;

import io.debezium.connector.postgresql.PostgresValueConverter;
import io.debezium.data.SpecialValueDecimal;

/**
 * A PostgreSQL value, as the JDBC driver (full load) or Debezium's log decoder (streaming) hands it over, written as
 * the text PostgreSQL itself writes for it (DateStyle ISO, IntervalStyle postgres, zoned times in UTC).
 */
final class PostgresText {

    private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

    private PostgresText() {
    }

    static String of(String type, Object value) {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        if (value instanceof PGInterval interval) {
            return interval(interval);
        }
        if (value instanceof SpecialValueDecimal decimal) {
            return decimal.getDecimalValue().map(BigDecimal::toPlainString).orElseGet(() -> decimal.equals(SpecialValueDecimal.NOT_A_NUMBER)
                    ? "NaN" : decimal.equals(SpecialValueDecimal.POSITIVE_INF) ? "Infinity" : "-Infinity");
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (value instanceof PGmoney money) {
            return money(money.val);
        }
        if (value instanceof PGpoint point) {
            return "(" + float8(point.x) + "," + float8(point.y) + ")";
        }
        if (value instanceof PGobject object) {
            return object.getValue(); // inet, cidr, macaddr, varbit, points and other geometric types
        }
        if (value instanceof SQLXML xml) {
            try {
                return xml.getString();
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read an xml value: " + e.getMessage(), e);
            }
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp(timestamp, type.equals("timestamptz"));
        }
        if (value instanceof java.sql.Date date) {
            return date(date);
        }
        if (value instanceof Double money) {
            return money(money);
        }
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8); // types Debezium does not know (name), read as their text
        }
        // the log decoder's forms: dates as LocalDate, timestamps as Instant (wall clock in UTC), zoned ones at UTC
        if (value instanceof LocalDate date) {
            return date.equals(PostgresValueConverter.POSITIVE_INFINITY_LOCAL_DATE) ? "infinity"
                    : date.equals(PostgresValueConverter.NEGATIVE_INFINITY_LOCAL_DATE) ? "-infinity" : ymd(date.getYear(), date.getMonthValue(),
                            date.getDayOfMonth());
        }
        if (value instanceof Instant instant) {
            return instant.equals(PostgresValueConverter.POSITIVE_INFINITY_INSTANT) ? "infinity"
                    : instant.equals(PostgresValueConverter.NEGATIVE_INFINITY_INSTANT) ? "-infinity"
                    : dateTime(LocalDateTime.ofInstant(instant, ZoneOffset.UTC), "");
        }
        if (value instanceof OffsetDateTime dateTime) {
            return dateTime.equals(PostgresValueConverter.POSITIVE_INFINITY_OFFSET_DATE_TIME) ? "infinity"
                    : dateTime.equals(PostgresValueConverter.NEGATIVE_INFINITY_OFFSET_DATE_TIME) ? "-infinity"
                    : dateTime(dateTime.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime(), "+00");
        }
        if (value instanceof OffsetTime time) {
            // Debezium's log decoder hands timetz over in UTC: the instant of the day is kept, the written offset is not.
            OffsetTime utc = time.withOffsetSameInstant(ZoneOffset.UTC);
            StringBuilder out = new StringBuilder(18);
            pad(out, utc.getHour(), 2).append(':');
            pad(out, utc.getMinute(), 2).append(':');
            pad(out, utc.getSecond(), 2);
            appendFraction(out, utc.getNano() / 1000);
            return out.append("+00").toString();
        }
        // arrays (the driver's PgArray writes the server's text), and anything else the driver made of the text
        return value.toString();
    }

    /**
     * Debezium reads money through a double (full load and log alike), exact to the cent below 10^13. Beyond, the
     * value is refused rather than rounded: the text says why, and the target fails the row with it.
     */
    private static String money(double value) {
        if (Math.abs(value) < 1e13) {
            return BigDecimal.valueOf(value).toPlainString();
        }
        return "money beyond 10^13 arrives rounded from the capture (" + value + ") and is refused";
    }

    /**
     * A double as PostgreSQL writes it: the shortest digits that read back to the same value, plain for decimal
     * exponents -4 to 14, else as 1.5e+308 / 1e-05.
     */
    static String float8(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        if (value == 0) {
            return 1 / value < 0 ? "-0" : "0";
        }
        BigDecimal digits = new BigDecimal(Double.toString(value)).stripTrailingZeros();
        int exponent = digits.precision() - digits.scale() - 1;
        if (exponent >= -4 && exponent < 15) {
            return digits.toPlainString();
        }
        String mantissa = digits.movePointLeft(exponent).toPlainString();
        return mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
    }

    /** The driver builds a Date from its fields in the JVM's zone, in the Julian calendar before 1582-10-15: read them back. */
    private static String date(java.sql.Date date) {
        String infinite = infinity(date.getTime());
        if (infinite != null) {
            return infinite;
        }
        Calendar calendar = new GregorianCalendar();
        calendar.setTime(date);
        return ymd(calendar);
    }

    /** A timestamp's fields; a zoned one (timestamptz) read in UTC and written with PostgreSQL's "+00". */
    private static String timestamp(java.sql.Timestamp timestamp, boolean zoned) {
        String infinite = infinity(timestamp.getTime());
        if (infinite != null) {
            return infinite;
        }
        Calendar calendar = zoned ? new GregorianCalendar(UTC) : new GregorianCalendar();
        calendar.setTime(timestamp);
        String text = ymd(calendar).replace(" BC", "");
        text += String.format(" %02d:%02d:%02d", calendar.get(Calendar.HOUR_OF_DAY), calendar.get(Calendar.MINUTE),
                calendar.get(Calendar.SECOND)) + fraction(timestamp.getNanos() / 1000);
        return text + (zoned ? "+00" : "") + (calendar.get(Calendar.ERA) == GregorianCalendar.BC ? " BC" : "");
    }

    private static String infinity(long millis) {
        if (millis == PGStatement.DATE_POSITIVE_INFINITY || millis == PGStatement.DATE_POSITIVE_SMALLER_INFINITY) {
            return "infinity";
        }
        if (millis == PGStatement.DATE_NEGATIVE_INFINITY || millis == PGStatement.DATE_NEGATIVE_SMALLER_INFINITY) {
            return "-infinity";
        }
        return null;
    }

    /** ISO year 0 is 1 BC, -1 is 2 BC, as PostgreSQL writes them. */
    private static String ymd(int isoYear, int month, int day) {
        StringBuilder out = new StringBuilder(13);
        appendYmd(out, isoYear, month, day);
        return out.append(isoYear <= 0 ? " BC" : "").toString();
    }

    /** Every value of a streamed timestamp column passes through here: written digit by digit, not by a format string. */
    private static String dateTime(LocalDateTime t, String zone) {
        StringBuilder out = new StringBuilder(32);
        appendYmd(out, t.getYear(), t.getMonthValue(), t.getDayOfMonth());
        out.append(' ');
        pad(out, t.getHour(), 2).append(':');
        pad(out, t.getMinute(), 2).append(':');
        pad(out, t.getSecond(), 2);
        appendFraction(out, t.getNano() / 1000);
        return out.append(zone).append(t.getYear() <= 0 ? " BC" : "").toString();
    }

    private static void appendYmd(StringBuilder out, int isoYear, int month, int day) {
        pad(out, isoYear <= 0 ? 1 - isoYear : isoYear, 4).append('-');
        pad(out, month, 2).append('-');
        pad(out, day, 2);
    }

    /** A non-negative number with leading zeros up to the given width (wider numbers in full, as %0Nd writes them). */
    private static StringBuilder pad(StringBuilder out, long value, int width) {
        for (long limit = 10, digits = 1; digits < width; limit *= 10, digits++) {
            if (value < limit) {
                out.append('0');
            }
        }
        return out.append(value);
    }

    private static String ymd(Calendar calendar) {
        return String.format("%04d-%02d-%02d", calendar.get(Calendar.YEAR), calendar.get(Calendar.MONTH) + 1,
                calendar.get(Calendar.DAY_OF_MONTH)) + (calendar.get(Calendar.ERA) == GregorianCalendar.BC ? " BC" : "");
    }

    /** ".ffffff" without trailing zeros, or nothing for whole seconds. */
    private static String fraction(int micros) {
        StringBuilder out = new StringBuilder(7);
        appendFraction(out, micros);
        return out.toString();
    }

    private static void appendFraction(StringBuilder out, int micros) {
        if (micros == 0) {
            return;
        }
        int digits = 6;
        while (micros % 10 == 0) {
            micros /= 10;
            digits--;
        }
        out.append('.');
        pad(out, micros, digits);
    }

    /**
     * PostgreSQL's interval output (IntervalStyle postgres): "1 year 2 mons 3 days 04:05:06.789", each part with its own
     * sign, a "+" on a positive part that follows a negative one, the time part whenever it is non-zero or all is zero.
     */
    static String interval(PGInterval interval) {
        StringBuilder out = new StringBuilder();
        boolean[] zeroAndBefore = {true, false};
        part(out, interval.getYears(), "year", zeroAndBefore);
        part(out, interval.getMonths(), "mon", zeroAndBefore);
        part(out, interval.getDays(), "day", zeroAndBefore);
        long micros = ((interval.getHours() * 60L + interval.getMinutes()) * 60L + interval.getWholeSeconds()) * 1_000_000L
                + interval.getMicroSeconds();
        if (zeroAndBefore[0] || micros != 0) {
            long abs = Math.abs(micros);
            out.append(zeroAndBefore[0] ? "" : " ").append(micros < 0 ? "-" : zeroAndBefore[1] ? "+" : "")
                    .append(String.format("%02d:%02d:%02d", abs / 3_600_000_000L, abs / 60_000_000L % 60, abs / 1_000_000L % 60))
                    .append(fraction((int) (abs % 1_000_000L)));
        }
        return out.toString();
    }

    private static void part(StringBuilder out, int value, String unit, boolean[] zeroAndBefore) {
        if (value == 0) {
            return;
        }
        out.append(zeroAndBefore[0] ? "" : " ").append(zeroAndBefore[1] && value > 0 ? "+" : "").append(value).append(' ')
                .append(unit).append(value != 1 ? "s" : "");
        zeroAndBefore[1] = value < 0;
        zeroAndBefore[0] = false;
    }
}
