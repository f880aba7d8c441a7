package routes.capture;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Undoes a Debezium 3.4 bug: its pgoutput decoder reads schema, table and column names byte by byte as
 * {@code (char) byte}, so every byte of a non-ASCII UTF-8 name becomes a char in U+FF80..U+FFFF ("Größe" arrives as
 * "Grￃﾶￃﾟe"). Names from the full load (read over JDBC) are right. A name is repaired only when every non-ASCII
 * char has that form and the bytes are valid UTF-8 with at least one multi-byte character.
 */
final class PgoutputNames {

    private PgoutputNames() {
    }

    static String repair(String name) {
        boolean mangled = false;
        byte[] bytes = new byte[name.length()];
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 0xFF80) {
                mangled = true;
            } else if (c >= 0x80) {
                return name; // a real non-ASCII char: the name was not read byte by byte
            }
            bytes[i] = (byte) c;
        }
        if (!mangled) {
            return name;
        }
        try {
            CharBuffer decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return decoded.toString();
        } catch (CharacterCodingException e) {
            return name;
        }
    }
}
