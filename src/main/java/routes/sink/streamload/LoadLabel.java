package routes.sink.streamload;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import routes.change.ChangeEvent;
import routes.change.TableId;

/**
 * The label of one Stream Load: the same batch of changes always gets the same label, so the target recognises a
 * batch sent again after a lost answer or a crash ({@code Label Already Exists}) instead of loading it twice.
 *
 * <p>A batch is a run of one table's changes in source order, so its first and last source positions and its size
 * name it exactly. The generation changes when the task's full load starts over, so that reloaded rows (whose
 * positions repeat: a full-load row's position is its table and key) are not mistaken for the earlier load.
 * Labels hold only letters, digits, '-' and '_' and stay within 128 characters, which both Doris and StarRocks
 * accept.
 */
public final class LoadLabel {

    private static final int MAX_LENGTH = 128;

    private LoadLabel() {
    }

    /** The label of a batch (already reduced or not: the positions are those of the changes it covers). */
    public static String of(String task, String generation, TableId target, List<ChangeEvent> changes, int part) {
        ChangeEvent first = changes.get(0);
        ChangeEvent last = changes.get(changes.size() - 1);
        return of(task, generation, target, first.position().toString(), last.position().toString(), changes.size(), part);
    }

    static String of(String task, String generation, TableId target, String firstPosition, String lastPosition, int changes,
            int part) {
        String digest = sha256(String.join("\n", task, generation, target.schema(), target.table(), firstPosition, lastPosition,
                Integer.toString(changes), Integer.toString(part)));
        // Readable prefix for people looking at SHOW LOAD; the digest alone makes the label unique.
        String readable = "rs_" + clean(task, 30) + "_" + clean(target.table(), 40) + "_";
        String label = readable + digest.substring(0, 40);
        return label.length() <= MAX_LENGTH ? label : label.substring(0, MAX_LENGTH);
    }

    private static String clean(String text, int max) {
        String cleaned = text.replaceAll("[^A-Za-z0-9_-]", "_");
        return cleaned.length() <= max ? cleaned : cleaned.substring(0, max);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
