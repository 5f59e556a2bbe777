package dev.gpudev.bot.conversation;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A file that goes with a {@link Message}: a picture (PNG), a CSV export, a config file. Each platform uploads it
 * where the message goes (Slack: the files API into the DM or channel; Discord: a file on the message; the sandbox
 * console: a file under {@code sandbox.files-dir}).
 *
 * @param filename a safe name: letters, digits, {@code . _ -} only (anything else becomes {@code -}), no leading dot,
 *                 at most {@value #MAX_NAME} characters
 * @param title    what the file is, as shown above it
 * @param bytes    at most {@value #MAX_BYTES} bytes; copied in and out
 */
public record Attachment(String filename, String title, String mimeType, byte[] bytes) {
    /**
     * Below every platform's limit (Slack 1 GB, Discord 10 MiB for a bot) and below the HTTP listener's
     * {@code server.max-payload-size} (512 KiB), through which the sandbox's simulated Slack takes uploads.
     */
    public static final int MAX_BYTES = 500 * 1024;
    public static final int MAX_NAME = 80;

    public Attachment {
        filename = safeName(filename);
        title = title.isBlank() ? filename : title.strip();
        if (!mimeType.matches("[a-z]+/[a-zA-Z0-9.+-]+")) {
            throw new IllegalArgumentException("not a MIME type: " + mimeType);
        }
        if (bytes.length == 0 || bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException("an attachment holds 1 to " + MAX_BYTES + " bytes, not " + bytes.length);
        }
        bytes = bytes.clone();
    }

    public static Attachment png(String filename, String title, byte[] bytes) {
        return new Attachment(filename, title, "image/png", bytes);
    }

    public static Attachment csv(String filename, String title, String text) {
        return new Attachment(filename, title, "text/csv", text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public int size() {
        return bytes.length;
    }

    /** The name as a file system or a chat platform may take it: no path, no control or shell characters. */
    public static String safeName(String name) {
        String base = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        String safe = base.replaceAll("[^A-Za-z0-9._-]", "-").replaceAll("^[.-]+", "");
        if (safe.length() > MAX_NAME) {
            int dot = safe.lastIndexOf('.');
            String ext = dot > 0 && safe.length() - dot <= 10 ? safe.substring(dot) : "";
            safe = safe.substring(0, MAX_NAME - ext.length()) + ext;
        }
        return safe.isEmpty() ? "file" : safe;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Attachment a && a.filename.equals(filename) && a.title.equals(title) && a.mimeType.equals(mimeType)
                && Arrays.equals(a.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return filename.hashCode() * 31 + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Attachment[" + filename + ", " + mimeType + ", " + bytes.length + " bytes]";
    }
}
