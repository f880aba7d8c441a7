package routes.alerting;

import java.util.Collection;

/** Keeps secrets out of text that may be logged or shown: every given secret is replaced by ***. */
public final class Secrets {

    private Secrets() {
    }

    public static String redact(String text, Collection<String> secrets) {
        if (text == null) {
            return "";
        }
        String result = text;
        for (String secret : secrets) {
            // Very short values (a port, "/") would blank out ordinary words: they are not secrets anyway.
            if (secret != null && secret.length() >= 4) {
                result = result.replace(secret, "***");
            }
        }
        return result;
    }
}
