package routes.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** PostgreSQL types (as format_type() writes them) on a MySQL/MariaDB target. */
class TypeMappingTest {

    @Test
    void exactWhereMySqlHoldsTheValues() {
        assertEquals("SMALLINT", TypeMapping.postgresToMySql("smallint"));
        assertEquals("INT", TypeMapping.postgresToMySql("integer"));
        assertEquals("BIGINT", TypeMapping.postgresToMySql("bigint"));
        assertEquals("DECIMAL(12,2)", TypeMapping.postgresToMySql("numeric(12,2)"));
        assertEquals("DECIMAL(65,30)", TypeMapping.postgresToMySql("numeric(65,30)"));
        assertEquals("FLOAT", TypeMapping.postgresToMySql("real"));
        assertEquals("DOUBLE", TypeMapping.postgresToMySql("double precision"));
        assertEquals("BOOLEAN", TypeMapping.postgresToMySql("boolean"));
        assertEquals("BIT(1)", TypeMapping.postgresToMySql("bit(1)"));
        assertEquals("BIT(64)", TypeMapping.postgresToMySql("bit(64)"));
        assertEquals("VARCHAR(40)", TypeMapping.postgresToMySql("character varying(40)"));
        assertEquals("CHAR(3)", TypeMapping.postgresToMySql("character(3)"));
        assertEquals("LONGTEXT", TypeMapping.postgresToMySql("text"));
        assertEquals("LONGBLOB", TypeMapping.postgresToMySql("bytea"));
        assertEquals("DATE", TypeMapping.postgresToMySql("date"));
        assertEquals("JSON", TypeMapping.postgresToMySql("json"));
        assertEquals("JSON", TypeMapping.postgresToMySql("jsonb"));
        assertEquals("CHAR(36)", TypeMapping.postgresToMySql("uuid"));
        assertEquals("DECIMAL(19,2)", TypeMapping.postgresToMySql("money"));
    }

    @Test
    void timestampsKeepTheirPrecisionAndZonedOnesHoldUtc() {
        assertEquals("DATETIME(6)", TypeMapping.postgresToMySql("timestamp without time zone"));
        assertEquals("DATETIME(3)", TypeMapping.postgresToMySql("timestamp(3) without time zone"));
        assertEquals("DATETIME(0)", TypeMapping.postgresToMySql("timestamp(0) without time zone"));
        assertEquals("DATETIME(6)", TypeMapping.postgresToMySql("timestamp with time zone"));
        assertEquals("DATETIME(2)", TypeMapping.postgresToMySql("timestamp(2) with time zone"));
        assertEquals("TIME(6)", TypeMapping.postgresToMySql("time without time zone"));
        assertEquals("TIME(6)", TypeMapping.postgresToMySql("time(3) with time zone"));
    }

    @Test
    void unconstrainedNumericTakesTheWidestDecimal() {
        assertEquals("DECIMAL(65,30)", TypeMapping.postgresToMySql("numeric"));
        assertEquals("DECIMAL(10,0)", TypeMapping.postgresToMySql("numeric(10,0)"));
    }

    @Test
    void valuesMySqlCannotHoldInKindStayText() {
        assertEquals("LONGTEXT", TypeMapping.postgresToMySql("numeric(66,2)"));
        assertEquals("LONGTEXT", TypeMapping.postgresToMySql("numeric(40,31)"));
        assertEquals("LONGTEXT", TypeMapping.postgresToMySql("numeric(3,5)"), "PostgreSQL 15 allows scale > precision");
        assertEquals("LONGTEXT", TypeMapping.postgresToMySql("numeric(5,-2)"), "and negative scale");
        assertEquals("LONGTEXT", TypeMapping.postgresToMySql("character varying"));
        assertEquals("LONGTEXT", TypeMapping.postgresToMySql("character varying(20000)"));
        assertEquals("VARCHAR(16383)", TypeMapping.postgresToMySql("character varying(16383)"));
        assertEquals("LONGTEXT", TypeMapping.postgresToMySql("character(256)"));
        assertEquals("LONGTEXT", TypeMapping.postgresToMySql("bpchar"));
        assertEquals("LONGBLOB", TypeMapping.postgresToMySql("bit(65)"));
        assertEquals("LONGBLOB", TypeMapping.postgresToMySql("bit varying(5)"));
    }

    @Test
    void arraysBecomeJsonAndUnknownTypesText() {
        assertEquals("JSON", TypeMapping.postgresToMySql("integer[]"));
        assertEquals("JSON", TypeMapping.postgresToMySql("character varying(10)[]"));
        assertEquals("JSON", TypeMapping.postgresToMySql("timestamp(3) with time zone[]"));
        assertEquals("LONGTEXT", TypeMapping.postgresToMySql("interval"));
        assertEquals("LONGTEXT", TypeMapping.postgresToMySql("inet"));
        assertEquals("LONGTEXT", TypeMapping.postgresToMySql("\"char\""));
        assertEquals("LONGTEXT", TypeMapping.postgresToMySql("public.mood"));
        assertEquals("LONGTEXT", TypeMapping.postgresToMySql("\"Mood Type\""));
    }
}
