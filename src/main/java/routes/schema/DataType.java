package routes.schema;

import java.util.Objects;

/**
 * A column type in no engine's words: what a target needs to choose its own type for a source column. A source's
 * {@link TypeSystem} reads its type text into one; each target writes one as its own type. A target of the source's
 * own engine writes {@link #sourceText()} as it is, so nothing changes type there.
 *
 * @param kind          what values the type holds
 * @param length        characters of CHAR/VARCHAR, bits of BIT/VARBIT, precision of DECIMAL, fraction digits of times
 *                      and timestamps, the longest text of a NETWORK_ADDRESS; null when the source gives none
 * @param scale         digits after the point of a DECIMAL; null when the source gives none
 * @param specialValues the source type also holds values outside SQL's ranges: NaN and ±Infinity, infinite dates and
 *                      timestamps, BC years, years past 9999 (PostgreSQL's numeric, floats, dates and timestamps)
 * @param element       the element type of an ARRAY, else null
 * @param source        the type system the type was read from
 * @param sourceText    the source's own type text, for targets of the same engine and for typeMapping overrides
 */
public record DataType(Kind kind, Integer length, Integer scale, boolean specialValues, DataType element, TypeSystem source,
        String sourceText) {

    /** Value kinds, after Flink CDC's data types, plus the few a source has that none of them holds exactly. */
    public enum Kind {
        BOOLEAN,
        TINYINT,
        SMALLINT,
        INT,
        BIGINT,
        /** 0 to 2^64-1: MySQL's BIGINT UNSIGNED, which no signed 64-bit type holds. */
        BIGINT_UNSIGNED,
        /** DECIMAL(p,s); without a precision, any number of digits. */
        DECIMAL,
        FLOAT,
        DOUBLE,
        /** A bit string of exactly {@code length} bits (MySQL's BIT(n > 1), PostgreSQL's bit(n)). */
        BIT,
        /** A bit string of at most {@code length} bits. */
        VARBIT,
        CHAR,
        VARCHAR,
        /** Text of any length; also what a type no other kind describes becomes: the value as the source writes it. */
        STRING,
        BYTES,
        DATE,
        /** Time of day. */
        TIME,
        /** Time of day with its offset (PostgreSQL's timetz). */
        TIME_TZ,
        /** A wall-clock date and time. */
        TIMESTAMP,
        /** An instant (TIMESTAMP WITH LOCAL TIME ZONE: MySQL's TIMESTAMP, PostgreSQL's timestamptz). */
        TIMESTAMP_LTZ,
        /** Hours, minutes and seconds, signed: MySQL's TIME, an elapsed time from -838:59:59 to 838:59:59. */
        INTERVAL_DAY_TIME,
        /** Months, days and time, each with its own sign (PostgreSQL's interval). */
        INTERVAL,
        JSON,
        UUID,
        /** A currency amount with two decimals whose text carries the server's locale (PostgreSQL's money). */
        MONEY,
        /** A network or hardware address, as ASCII text of at most {@code length} characters. */
        NETWORK_ADDRESS,
        ARRAY
    }

    public DataType {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(source, "source");
    }

    /** A type of this kind without length, scale or element. */
    static DataType of(Kind kind, TypeSystem source, String sourceText) {
        return new DataType(kind, null, null, false, null, source, sourceText);
    }

    /** The same type with a length (precision, fraction digits). */
    DataType withLength(Integer length) {
        return new DataType(kind, length, scale, specialValues, element, source, sourceText);
    }

    DataType withScale(Integer scale) {
        return new DataType(kind, length, scale, specialValues, element, source, sourceText);
    }

    /** The same type, holding values outside SQL's ranges too. */
    DataType withSpecialValues() {
        return new DataType(kind, length, scale, true, element, source, sourceText);
    }

    static DataType arrayOf(DataType element, TypeSystem source, String sourceText) {
        return new DataType(Kind.ARRAY, null, null, false, element, source, sourceText);
    }

    /** Whether the type was read from this type system (a target of that engine keeps the source's text). */
    public boolean readFrom(TypeSystem system) {
        return source == system;
    }
}
