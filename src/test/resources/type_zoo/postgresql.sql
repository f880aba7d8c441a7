-- type_zoo, PostgreSQL: one column per common type, edge rows 1..9, then 50 typical
-- rows (ids 1000..). Used by TypeFidelityIT. Drops and recreates the table.
SET client_encoding = 'UTF8';
SET client_min_messages = warning;
SET TIME ZONE 'UTC';
DROP TABLE IF EXISTS type_zoo;
DROP TYPE IF EXISTS bench_mood;
CREATE TYPE bench_mood AS ENUM ('sad', 'ok', 'happy', 'ünïcødé 😀');
CREATE TABLE type_zoo (
  id            int PRIMARY KEY,
  c_smallint    smallint,
  c_int         integer,
  c_bigint      bigint,
  c_numeric     numeric(38,10),
  c_real        real,
  c_double      double precision,
  c_money       money,
  c_char        char(10),
  c_varchar     varchar(255),
  c_text        text,
  c_bytea       bytea,
  c_date        date,
  c_time        time,
  c_timetz      timetz,
  c_timestamp   timestamp,
  c_timestamptz timestamptz,
  c_interval    interval,
  c_bool        boolean,
  c_uuid        uuid,
  c_json        json,
  c_jsonb       jsonb,
  c_inet        inet,
  c_cidr        cidr,
  c_macaddr     macaddr,
  c_bit         bit(8),
  c_varbit      varbit,
  c_int_arr     int[],
  c_text_arr    text[],
  c_enum        bench_mood,
  c_name        name,
  c_xml         xml,
  c_point       point
);

INSERT INTO type_zoo VALUES
-- 1: typical values
(1, 42, 123456, 1234567890123, 12345.6789012345, 3.14, 2.718281828459045, 12.34,
 'abc', 'hello', 'plain text', '\xdeadbeef', '2024-03-15', '13:45:30.123456', '13:45:30.123456+02',
 '2024-03-15 13:45:30.123456', '2024-03-15 13:45:30.123456+00', '1 year 2 mons 3 days 04:05:06.789',
 true, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"k": "v", "n": 1, "k": "dup"}', '{"k": "v", "n": 1}',
 '192.0.2.10', '192.0.2.0/24', '08:00:2b:01:02:03', B'10101010', B'101', '{1,2,3}', '{"a","b c"}',
 'ok', 'pg_name', '<a>1</a>', '(1.5,-2.5)'),
-- 2: every column NULL
(2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
 NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
-- 3: minimum / empty values
(3, -32768, -2147483648, -9223372036854775808, -9999999999999999999999999999.9999999999,
 -3.4028235e38, -1.7976931348623157e308, -92233720368547758.08,
 '', '', '', '\x', '0001-01-01', '00:00:00', '00:00:00+15:59', '0001-01-01 00:00:00', '0001-01-01 00:00:00+00',
 '-178000000 years', false, '00000000-0000-0000-0000-000000000000', '[]', '{}', '0.0.0.0', '0.0.0.0/0',
 '00:00:00:00:00:00', B'00000000', B'', '{}', '{}', 'sad', '', '<a/>',
 '(-1.7976931348623157e308,-1.7976931348623157e308)'),
-- 4: maximum / large values (1 MiB text and bytea, 1000-element arrays)
(4, 32767, 2147483647, 9223372036854775807, 9999999999999999999999999999.9999999999,
 3.4028235e38, 1.7976931348623157e308, 92233720368547758.07,
 'zzzzzzzzzz', repeat('x', 255), repeat('long text ', 104858), decode(repeat('ff', 1048576), 'hex'),
 '9999-12-31', '23:59:59.999999', '24:00:00-15:59', '9999-12-31 23:59:59.999999', '9999-12-31 23:59:59.999999+00',
 '178000000 years', true, 'ffffffff-ffff-ffff-ffff-ffffffffffff',
 '{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":[1,[2,[3,[4,[5]]]]]}}}}}}}}',
 ('{"big": 123456789012345678901234567890.123456789, "small": 1e-300, "arr": [' || repeat('1,', 999) || '1]}')::jsonb,
 '255.255.255.255', '2001:db8::/32', 'ff:ff:ff:ff:ff:ff', B'11111111', repeat('1', 1000)::varbit,
 array(SELECT g FROM generate_series(1, 1000) g), '{NULL,"","x"}',
 'happy', repeat('n', 63), ('<r>' || repeat('<i>x</i>', 1000) || '</r>')::xml,
 '(1.7976931348623157e308,1.7976931348623157e308)'),
-- 5: PostgreSQL-only specials: NaN, +/-Infinity, infinite dates/timestamps, 24:00:00
(5, 0, 0, 0, 'NaN', 'NaN', 'Infinity', 0,
 ' ', ' ', ' ', '\x00', 'infinity', '24:00:00', '24:00:00+00', '-infinity', 'infinity',
 '0', NULL, NULL, 'null', 'null', '::', '::/0', NULL, NULL, NULL, '{NULL}', '{NULL}', NULL, NULL, NULL, NULL),
-- 6: extreme calendar range (BC dates, far future)
(6, 1, 1, 1, 1, '-Infinity', '-Infinity', 0.01,
 'bc', 'bc', 'bc', '\x01', '4713-01-01 BC', '00:00:00.000001', '00:00:00.000001-15:59',
 '4713-01-01 00:00:00 BC', '294276-12-31 23:59:59.999999+00', '-1 days +23:59:59.999999',
 true, NULL, '"scalar string"', '12345', '2001:db8::1', '2001:db8:1::/48', '01:23:45:67:89:ab',
 B'00000001', B'1', '{-2147483648,2147483647}', '{"[]","{}"}', 'sad', 'x', '<?xml version="1.0"?><doc/>', '(0,0)'),
-- 7: unicode (accents, CJK, RTL, emoji incl. ZWJ sequences and skin tones), escapes
(7, 7, 7, 7, 7, 7, 7, 7,
 'ñ😀', 'Grüße 👋🏽 中文 العربية עברית', 'e' || chr(769) || ' café 👨‍👩‍👧‍👦 🏳️‍🌈 ' || repeat('日本語', 100),
 convert_to('😀 utf8 bytes', 'UTF8'), '2024-02-29', '12:00:00', '12:00:00+05:30', '2000-02-29 23:59:59.999999',
 '2024-02-29 23:30:00+05:45', '1 mon -1 days', false, '123e4567-e89b-12d3-a456-426614174000',
 '{"é": "\u00e9", "emoji": "😀", "esc": "\"\\/\b\f\n\r\t"}', '{"ключ": "значение", "😀": ["👍", null, true]}',
 '192.0.2.255', '198.51.100.0/24', '0a:0b:0c:0d:0e:0f', B'01111111', B'0101010101',
 '{0,-1,NULL}', '{"😀","a,b","q\"uote","back\\slash",""}', 'ünïcødé 😀', 'имя_😀', '<u>ü 😀 &amp; &lt;</u>', '(-0.5,0.5)'),
-- 8: negative zero, leap days, time zones, special characters
(8, -1, -1, -1, -0.0000000001, '-0', '-0', -0.01,
 E'a\tb', E'quote '' and "dq" and \\ backslash', E'line1\nline2\r\nline3\ttab; DROP TABLE x; --',
 E'\\x000102ff', '2000-02-29', '23:59:59.999999', '23:59:59.999999-12', '1900-02-28 23:59:59',
 '1969-12-31 23:59:59.999999-08', '-3 years -2 mons', true, 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11',
 '  { "spaced" :  1 }  ', '{"z": 1, "a": 2, "aa": 3}', '192.0.2.1/24', '192.0.2.0/25', '08-00-2b-01-02-03',
 B'10000000', B'0', '{{1,2},{3,4}}', '{"|","\\N","NULL"}', 'happy', 'Mixed Case', '<x a="1"/>', '(1e-300,-1e-300)'),
-- 9: time zone spread and calendar edges
(9, 9, 9, 9, 0.5, 1.17549435e-38, 2.2250738585072014e-308, 1000000,
 'tz', 'tz', 'tz', '\x7f', '1582-10-04', '00:00:00', '00:00:00+14', '2016-12-31 23:59:59.999999',
 '2024-03-10 02:30:00 America/New_York', '1 day 25:00:00', false, 'c0ffee00-0000-4000-8000-000000000000',
 '[1, "two", 3.0, null, false]', '[1, "two", 3.0, null, false]', '2001:db8::ffff:192.0.2.1', '::ffff:192.0.2.0/120',
 'ab:cd:ef:01:23:45', B'01010101', B'111000111000', '{9}', '{"tz"}', 'ok', 'tz', '<tz/>', '(9,9)');

INSERT INTO type_zoo
SELECT 1000 + g,
       (g % 32767)::smallint, g * 13, g::bigint * 1000003, round(g * 1.0000000001 / 7, 10),
       (g / 7.0)::real, g / 3.0::float8, (g * 1.25)::numeric::money,
       lpad(g::text, 10, 'c'), 'varchar ' || g, repeat('text ' || g || ' ', 1 + g % 10), decode(md5(g::text), 'hex'),
       date '2000-01-01' + g % 10000, time '00:00' + (g % 86400) * interval '1 second',
       (time '00:00' + (g % 86400) * interval '1 second')::timetz,
       timestamp '2000-01-01' + g * interval '1 minute' + (g % 1000000) * interval '1 microsecond',
       timestamptz '2000-01-01 00:00:00+00' + g * interval '1 minute',
       make_interval(days => g % 365, secs => g % 3600), g % 2 = 0,
       md5(g::text)::uuid, json_build_object('g', g, 's', md5(g::text)), jsonb_build_object('g', g, 's', md5(g::text)),
       ('198.51.100.' || g % 256)::inet, ('203.0.113.' || (g % 64) * 4 || '/30')::cidr,
       ('08:00:2b:' || lpad(to_hex(g % 256), 2, '0') || ':00:01')::macaddr,
       (g % 256)::bit(8), (g % 1024)::bit(10)::varbit, ARRAY[g, g + 1, g + 2], ARRAY['t' || g, NULL],
       (ARRAY['sad','ok','happy']::bench_mood[])[1 + g % 3], ('n' || g)::name, ('<g>' || g || '</g>')::xml,
       point(g, -g)
FROM generate_series(1, 50) g;
ANALYZE type_zoo;
