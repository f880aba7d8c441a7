package routes.ops.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import routes.ops.console.ConsoleSessions;

/**
 * The bearer token every operator API call carries ({@code Authorization: Bearer TOKEN}): {@value #ENVIRONMENT} when
 * set, else one generated at start and written to a file only its user may read (0600), whose path is logged. The
 * token itself is never logged.
 */
public final class ApiToken {

    /** The environment variable holding the token. */
    public static final String ENVIRONMENT = "REALTIME_SYNC_TOKEN";
    /** The environment variable naming the token file (default {@code ~/.realtime-sync/token-PORT}). */
    public static final String FILE_ENVIRONMENT = "REALTIME_SYNC_TOKEN_FILE";

    private final byte[] token;
    private final Path file;
    /** The web console's sign-ins with this token (routes.ops.console): their cookie counts as the token. */
    private final ConsoleSessions sessions = new ConsoleSessions();

    private ApiToken(String token, Path file) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.file = file;
    }

    /** The token of an API served on {@code port}: the environment's, or a new one written to {@link #file(int)}. */
    public static ApiToken forPort(int port) {
        String given = System.getenv(ENVIRONMENT);
        if (given != null && !given.isBlank()) {
            return new ApiToken(given.strip(), null);
        }
        return generated(file(port));
    }

    /** A new random token written to {@code file}, readable only by the user. */
    static ApiToken generated(Path file) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        try {
            write(file, token);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the API token file " + file + ": " + e.getMessage()
                    + " (set " + ENVIRONMENT + ", or " + FILE_ENVIRONMENT + " to a writable path)", e);
        }
        return new ApiToken(token, file);
    }

    /** Where the token of an API on {@code port} is written when none is given. */
    public static Path file(int port) {
        String named = System.getenv(FILE_ENVIRONMENT);
        if (named != null && !named.isBlank()) {
            return Path.of(named).toAbsolutePath();
        }
        return Path.of(System.getProperty("user.home"), ".realtime-sync", "token-" + port);
    }

    /** The token for a client of the API on {@code port}: the environment's, else the one its server wrote. */
    public static String read(int port) throws IOException {
        String given = System.getenv(ENVIRONMENT);
        if (given != null && !given.isBlank()) {
            return given.strip();
        }
        Path file = file(port);
        if (!Files.isReadable(file)) {
            throw new IOException("no token: set " + ENVIRONMENT + " (the running task's token file " + file + " is not there)");
        }
        return Files.readString(file).strip();
    }

    /** The file is created 0600 before the token goes in, and replaces the old one in one move. */
    private static void write(Path file, String token) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(folder)) {
            Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Path fresh = Files.createTempFile(folder, ".token", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(fresh, token + "\n");
            Files.move(fresh, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(fresh);
        }
    }

    /** Whether an {@code Authorization} header carries this token (compared in constant time). */
    public boolean accepts(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return matches(authorization.substring(7));
    }

    /** Whether a call carries this token, or the cookie of a console session signed in with it. */
    public boolean accepts(String authorization, String cookies) {
        return accepts(authorization) || sessions.accepts(cookies);
    }

    /** Whether {@code given} (as a person typed it into the console's sign-in) is this token, compared in constant time. */
    public boolean matches(String given) {
        return given != null && MessageDigest.isEqual(token, given.strip().getBytes(StandardCharsets.UTF_8));
    }

    /** The console sessions signed in with this token. */
    public ConsoleSessions sessions() {
        return sessions;
    }

    /** Where the generated token was written; null when it came from the environment. */
    public Path file() {
        return file;
    }

    /** Where the token comes from, for the log: never the token itself. */
    public String source() {
        return file == null ? "from " + ENVIRONMENT : "in " + file + " (readable only by you; or set " + ENVIRONMENT + ")";
    }

    @Override
    public String toString() {
        return "API token " + source();
    }
}
