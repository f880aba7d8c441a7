-- type_zoo, MariaDB/MySQL: one column per common type, edge rows 1..9, then 50
-- typical rows (ids 1000..). Used by TypeFidelityIT. Drops the table.
-- sql_mode below is MariaDB 10.11's default (strict, zero dates allowed): row 5 holds zero dates.
SET NAMES utf8mb4;
SET time_zone = '+00:00';
SET SESSION sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION';
DROP TABLE IF EXISTS type_zoo;
CREATE TABLE type_zoo (
  id            INT NOT NULL PRIMARY KEY,
  c_tinyint     TINYINT,
  c_tinyint_u   TINYINT UNSIGNED,
  c_smallint    SMALLINT,
  c_smallint_u  SMALLINT UNSIGNED,
  c_mediumint   MEDIUMINT,
  c_mediumint_u MEDIUMINT UNSIGNED,
  c_int         INT,
  c_int_u       INT UNSIGNED,
  c_bigint      BIGINT,
  c_bigint_u    BIGINT UNSIGNED,
  c_decimal     DECIMAL(38,10),
  c_float       FLOAT,
  c_double      DOUBLE,
  c_bit         BIT(8),
  c_bool        BOOLEAN,
  c_char        CHAR(10),
  c_varchar     VARCHAR(255),
  c_text        TEXT,
  c_longtext    LONGTEXT,
  c_binary      BINARY(8),
  c_varbinary   VARBINARY(255),
  c_blob        BLOB,
  c_longblob    LONGBLOB,
  c_date        DATE,
  c_time        TIME(6),
  c_datetime    DATETIME(6),
  c_timestamp   TIMESTAMP(6) NULL DEFAULT NULL,
  c_year        YEAR,
  c_enum        ENUM('sad','ok','happy','ünïcødé 😀'),
  c_set         SET('a','b','c','d'),
  c_json        JSON,
  c_geometry    GEOMETRY
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT INTO type_zoo VALUES
-- 1: typical values
(1, 42, 42, 1234, 1234, 123456, 123456, 123456, 123456, 1234567890123, 1234567890123,
 12345.6789012345, 3.14, 2.718281828459045, b'10101010', TRUE,
 'abc', 'hello', 'plain text', 'plain long text', x'DEADBEEF', x'DEADBEEF', x'DEADBEEF', x'DEADBEEF',
 '2024-03-15', '13:45:30.123456', '2024-03-15 13:45:30.123456', '2024-03-15 13:45:30.123456', 2024,
 'ok', 'a,c', '{"k": "v", "n": 1}', ST_GeomFromText('POINT(1.5 -2.5)')),
-- 2: every column NULL
(2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
 NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
-- 3: minimum / empty values
(3, -128, 0, -32768, 0, -8388608, 0, -2147483648, 0, -9223372036854775808, 0,
 -9999999999999999999999999999.9999999999, -3.40282e38, -1.7976931348623157e308, b'00000000', FALSE,
 '', '', '', '', x'', x'', x'', x'',
 '1000-01-01', '-838:59:59.000000', '1000-01-01 00:00:00.000000', '1970-01-01 00:00:01.000000', 1901,
 'sad', '', '[]', ST_GeomFromText('POINT(0 0)')),
-- 4: maximum / large values (64 KiB TEXT/BLOB, 1 MiB LONGTEXT/LONGBLOB)
(4, 127, 255, 32767, 65535, 8388607, 16777215, 2147483647, 4294967295, 9223372036854775807, 18446744073709551615,
 9999999999999999999999999999.9999999999, 3.40282e38, 1.7976931348623157e308, b'11111111', TRUE,
 'zzzzzzzzzz', REPEAT('x', 255), REPEAT('t', 65535), REPEAT('long text ', 104858),
 x'FFFFFFFFFFFFFFFF', UNHEX(REPEAT('FF', 255)), UNHEX(REPEAT('FF', 65535)), UNHEX(REPEAT('FF', 1048576)),
 '9999-12-31', '838:59:59.000000', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999999', 2155,
 'happy', 'a,b,c,d',
 CONCAT('{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":[1,[2,[3,[4,[5]]]]]}}}}}}}, "big": 123456789012345678901234567890.123456789, "arr": [', REPEAT('1,', 999), '1]}'),
 ST_GeomFromText('POLYGON((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 3 2, 3 3, 2 3, 2 2))')),
-- 5: MySQL/MariaDB zero dates and zero year
(5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, b'0', FALSE,
 ' ', ' ', ' ', ' ', x'00', x'00', x'00', x'00',
 '0000-00-00', '00:00:00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', 0,
 'sad', 'a', 'null', ST_GeomFromText('POINT(0 0)')),
-- 6: fractional / tiny values, negative time
(6, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0.0000000001, 1.17549e-38, 2.2250738585072014e-308, b'00000001', TRUE,
 'bc', 'bc', 'bc', 'bc', x'01', x'01', x'01', x'01',
 '1000-01-01', '-00:00:00.000001', '1000-01-01 00:00:00.000001', '1970-01-01 00:00:01.000001', 1901,
 'sad', 'b', '"scalar string"', ST_GeomFromText('LINESTRING(0 0, 1 1, 2 0)')),
-- 7: unicode (accents, CJK, RTL, emoji incl. ZWJ sequences and skin tones), escapes
(7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, b'01111111', FALSE,
 'ñ😀', 'Grüße 👋🏽 中文 العربية עברית', CONCAT('e', _utf8mb4 x'CC81', ' café 👨‍👩‍👧‍👦 🏳️‍🌈 ', REPEAT('日本語', 100)),
 REPEAT('😀', 10000), CAST('😀' AS BINARY), CAST('😀 utf8 bytes' AS BINARY), CAST('😀' AS BINARY), CAST('😀' AS BINARY),
 '2024-02-29', '12:00:00', '2024-02-29 23:59:59.999999', '2024-02-29 23:59:59.999999', 2024,
 'ünïcødé 😀', 'd', '{"é": "\\u00e9", "emoji": "😀", "esc": "\\"\\\\/\\b\\f\\n\\r\\t"}',
 ST_GeomFromText('POINT(-0.5 0.5)', 4326)),
-- 8: negative zero, leap days, special characters, NUL byte (not storable in PostgreSQL text)
(8, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -0.0000000001, -0e0, -0e0, b'10000000', TRUE,
 'a\tb', 'quote '' and "dq" and \\ backslash', 'line1\nline2\r\nline3\ttab; DROP TABLE x; --',
 CONCAT('nul>', CHAR(0), '<nul'), x'000102FF', x'000102FF', x'000102FF', x'000102FF',
 '2000-02-29', '23:59:59.999999', '2000-02-29 23:59:59.999999', '2000-02-29 23:59:59.999999', 2000,
 'happy', 'a,b', '  { "spaced" :  1 }  ', ST_GeomFromText('MULTIPOINT((1 1), (2 2))')),
-- 9: calendar edges; c_timestamp is written below under another session time zone
(9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 0.5, 9, 9, b'01010101', FALSE,
 'tz', 'tz', 'tz', 'tz', x'7F', x'7F', x'7F', x'7F',
 '1582-10-04', '24:00:00', '2016-12-31 23:59:59.999999', NULL, 1970,
 'ok', 'a,b,c', '[1, "two", 3.0, null, false]',
 ST_GeomFromText('GEOMETRYCOLLECTION(POINT(1 1), LINESTRING(0 0, 1 1))'));

-- TIMESTAMP is stored in UTC and converted through the session time zone:
-- '2024-02-29 23:30:00' at +05:45 is 2024-02-29 17:45:00 UTC; '2024-03-10 02:30:00' at -05:00 is 07:30 UTC.
SET time_zone = '+05:45';
UPDATE type_zoo SET c_timestamp = '2024-02-29 23:30:00.000000' WHERE id = 7;
SET time_zone = '-05:00';
UPDATE type_zoo SET c_timestamp = '2024-03-10 02:30:00.000000' WHERE id = 9;
SET time_zone = '+00:00';

INSERT INTO type_zoo
SELECT 1000 + g,
       g % 128, g % 256, g % 32768, g % 65536, g % 8388608, g % 16777216, g * 13, g * 13, g * 1000003, g * 1000003,
       ROUND(g * 1.0000000001 / 7, 10), g / 7.0, g / 3.0, g % 256, g % 2 = 0,
       LPAD(g, 10, 'c'), CONCAT('varchar ', g), REPEAT(CONCAT('text ', g, ' '), 1 + g % 10), REPEAT(CONCAT('long ', g, ' '), 1 + g % 20),
       UNHEX(SUBSTR(MD5(g), 1, 16)), UNHEX(MD5(g)), UNHEX(MD5(g)), UNHEX(REPEAT(MD5(g), 4)),
       DATE_ADD('2000-01-01', INTERVAL g % 10000 DAY), SEC_TO_TIME(g % 86400),
       TIMESTAMPADD(MICROSECOND, g % 1000000, TIMESTAMPADD(MINUTE, g, '2000-01-01 00:00:00')),
       TIMESTAMPADD(MINUTE, g, '2000-01-01 00:00:00'), 1901 + g % 255,
       ELT(1 + g % 3, 'sad', 'ok', 'happy'), ELT(1 + g % 4, 'a', 'b', 'a,c', 'b,d'),
       JSON_OBJECT('g', g, 's', MD5(g)), ST_GeomFromText(CONCAT('POINT(', g, ' ', -g, ')'))
FROM (SELECT CAST(seq AS SIGNED) AS g FROM seq_1_to_50) s;
ANALYZE TABLE type_zoo;
