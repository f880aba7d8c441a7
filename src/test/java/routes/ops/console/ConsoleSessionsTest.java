package routes.ops.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

class ConsoleSessionsTest {

    /** A clock the test moves by hand. */
    private static final class HandClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final HandClock clock = new HandClock();
    private final ConsoleSessions sessions = new ConsoleSessions(clock);

    @Test
    void aSessionIsARandomIdInItsCookieAndEndsAtSignOut() {
        String id = sessions.open();
        String other = sessions.open();
        assertNotEquals(id, other);
        assertTrue(id.length() >= 40, id);
        assertTrue(sessions.accepts("theme=dark; " + ConsoleSessions.COOKIE + "=" + id + "; lang=en"));
        assertFalse(sessions.accepts(ConsoleSessions.COOKIE + "=" + id + "x"));
        assertFalse(sessions.accepts(ConsoleSessions.COOKIE + "="));
        assertFalse(sessions.accepts("other=" + id));
        assertFalse(sessions.accepts(null));

        sessions.close(ConsoleSessions.COOKIE + "=" + id);
        assertFalse(sessions.accepts(ConsoleSessions.COOKIE + "=" + id), "signed out");
        assertTrue(sessions.accepts(ConsoleSessions.COOKIE + "=" + other), "the other session goes on");
    }

    @Test
    void theCookieIsHttpOnlyStrictForTheWholeServerAndItsRemovalExpiresIt() {
        String cookie = ConsoleSessions.cookie("abc");
        assertTrue(cookie.startsWith(ConsoleSessions.COOKIE + "=abc;"), cookie);
        assertTrue(cookie.contains("; HttpOnly") && cookie.contains("; SameSite=Strict") && cookie.contains("; Path=/"), cookie);
        String removal = ConsoleSessions.removal();
        assertTrue(removal.startsWith(ConsoleSessions.COOKIE + "=;") && removal.contains("Max-Age=0"), removal);
        assertNull(ConsoleSessions.idIn("a=b"));
        assertEquals("x y", ConsoleSessions.idIn(" " + ConsoleSessions.COOKIE + " = x y "));
    }

    @Test
    void aSessionEndsAfterAnHourUnusedAndAfterTwelveHoursInAll() {
        String idle = ConsoleSessions.COOKIE + "=" + sessions.open();
        String busy = ConsoleSessions.COOKIE + "=" + sessions.open();
        for (int minutes = 0; minutes < 12 * 60 - 30; minutes += 30) {
            clock.now = clock.now.plus(Duration.ofMinutes(30));
            assertTrue(sessions.accepts(busy), "used every 30 minutes, at " + clock.now);
        }
        assertFalse(sessions.accepts(idle), "unused for hours");
        clock.now = clock.now.plus(Duration.ofMinutes(30));
        assertFalse(sessions.accepts(busy), "twelve hours after its sign-in");
    }

    @Test
    void theOldestSessionsGoFirstBeyondTheLimit() {
        String first = ConsoleSessions.COOKIE + "=" + sessions.open();
        clock.now = clock.now.plusSeconds(1);
        String second = ConsoleSessions.COOKIE + "=" + sessions.open();
        for (int i = 2; i < ConsoleSessions.MOST; i++) {
            clock.now = clock.now.plusMillis(1);
            sessions.open();
        }
        assertTrue(sessions.accepts(first));
        clock.now = clock.now.plusMillis(1);
        sessions.open();
        assertFalse(sessions.accepts(first), "the oldest of " + (ConsoleSessions.MOST + 1));
        assertTrue(sessions.accepts(second));
    }
}
