package routes.ops.console;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's sign-ins, in memory: each is a random id the browser keeps in an HttpOnly, SameSite=Strict cookie,
 * never the token itself, so that the token does not sit in the browser. A session ends at sign-out, after
 * {@link #IDLE} without a call, after {@link #LONGEST} in all, and with the process.
 */
public final class ConsoleSessions {

    /** The cookie's name. */
    public static final String COOKIE = "realtime_sync_session";
    static final Duration IDLE = Duration.ofHours(1);
    static final Duration LONGEST = Duration.ofHours(12);
    /** Sign-ins kept at most; the oldest goes first (each sign-in needs the token, so this only bounds memory). */
    static final int MOST = 1_000;

    private record Session(Instant opened, Instant used) {
    }

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    public ConsoleSessions() {
        this(Clock.systemUTC());
    }

    ConsoleSessions(Clock clock) {
        this.clock = clock;
    }

    /** A new session; returns its id, for the cookie. */
    public String open() {
        Instant now = clock.instant();
        sessions.entrySet().removeIf(entry -> expired(entry.getValue(), now));
        while (sessions.size() >= MOST) {
            sessions.entrySet().stream().min(Comparator.comparing(entry -> entry.getValue().opened()))
                    .ifPresent(oldest -> sessions.remove(oldest.getKey()));
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        sessions.put(id, new Session(now, now));
        return id;
    }

    /** Whether a {@code Cookie} header carries a live session; a call keeps it alive. */
    public boolean accepts(String cookieHeader) {
        String id = idIn(cookieHeader);
        Session session = id == null ? null : sessions.get(id);
        if (session == null) {
            return false;
        }
        Instant now = clock.instant();
        if (expired(session, now)) {
            sessions.remove(id);
            return false;
        }
        sessions.replace(id, session, new Session(session.opened(), now));
        return true;
    }

    /** Ends the session a {@code Cookie} header names, if any (sign-out). */
    public void close(String cookieHeader) {
        String id = idIn(cookieHeader);
        if (id != null) {
            sessions.remove(id);
        }
    }

    /** The {@code Set-Cookie} value that hands a session to the browser: script cannot read it, no other site sends it. */
    public static String cookie(String id) {
        return COOKIE + "=" + id + "; Path=/; HttpOnly; SameSite=Strict";
    }

    /** The {@code Set-Cookie} value that makes the browser forget its session. */
    public static String removal() {
        return COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
    }

    private static boolean expired(Session session, Instant now) {
        return !now.isBefore(session.used().plus(IDLE)) || !now.isBefore(session.opened().plus(LONGEST));
    }

    /** The session id in a {@code Cookie} header ({@code a=1; realtime_sync_session=ID}), or null. */
    static String idIn(String cookieHeader) {
        if (cookieHeader == null) {
            return null;
        }
        for (String pair : cookieHeader.split(";")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).strip().equals(COOKIE)) {
                String id = pair.substring(equals + 1).strip();
                return id.isEmpty() ? null : id;
            }
        }
        return null;
    }
}
