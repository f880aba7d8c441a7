package routes.ops.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTokenTest {

    @TempDir
    Path folder;

    @Test
    void aGeneratedTokenIsWrittenForItsUserOnlyAndAcceptedOnlyAsItsBearer() throws Exception {
        Path file = folder.resolve("new/token-8089");
        ApiToken token = ApiToken.generated(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        String written = Files.readString(file).strip();
        assertTrue(written.length() >= 40, written);
        assertTrue(token.accepts("Bearer " + written));
        assertTrue(token.accepts("bearer " + written));
        assertFalse(token.accepts(null));
        assertFalse(token.accepts(written));
        assertFalse(token.accepts("Bearer " + written + "x"));
        assertFalse(token.accepts("Basic " + written));
        assertFalse(token.toString().contains(written), "its text never holds the token");
        assertFalse(token.source().contains(written));
    }

    @Test
    void aSecondStartReplacesTheFileWithANewToken() throws Exception {
        Path file = folder.resolve("token");
        ApiToken first = ApiToken.generated(file);
        String firstText = Files.readString(file).strip();
        ApiToken second = ApiToken.generated(file);
        assertFalse(second.accepts("Bearer " + firstText));
        assertTrue(second.accepts("Bearer " + Files.readString(file).strip()));
        assertTrue(first.accepts("Bearer " + firstText));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void onlyTheTwoProbesPassWithoutTheToken() {
        assertTrue(ApiGuard.isProbe("GET", "/observe/health/live"));
        assertTrue(ApiGuard.isProbe("GET", "/observe/health/ready/"));
        assertFalse(ApiGuard.isProbe("POST", "/observe/health/ready"));
        assertFalse(ApiGuard.isProbe("GET", "/observe/health"));
        assertFalse(ApiGuard.isProbe("GET", "/observe/metrics"));
        assertFalse(ApiGuard.isProbe("GET", "/observe/health/live/../../api/tasks"));
        assertFalse(ApiGuard.isProbe("GET", null));
    }
}
