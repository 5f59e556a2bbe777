package dev.gpudev.bot.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import dev.gpudev.bot.conversation.Attachment;

/**
 * Files the bot uploads to the sandbox's Slack, saved under one directory ({@code sandbox.files-dir}; empty: a fresh
 * temporary directory). Names are sanitized again (the upload came over HTTP) and never overwrite an earlier file.
 */
final class SandboxFiles {
    static final String TEMP = "";

    private final String configured;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<String, String> names = new ConcurrentHashMap<>();
    private final Map<String, byte[]> bytes = new ConcurrentHashMap<>();
    private volatile @Nullable Path dir;

    SandboxFiles(String configured) {
        this.configured = configured;
    }

    /** A new file id for {@code filename}, whose bytes come next. */
    String expect(String filename) {
        String id = "F" + String.format("%08d", ids.incrementAndGet());
        names.put(id, Attachment.safeName(filename));
        return id;
    }

    /** False for an id nobody asked for, or a body over the cap. */
    boolean received(String id, byte[] body) {
        if (!names.containsKey(id) || body.length == 0 || body.length > Attachment.MAX_BYTES) {
            return false;
        }
        bytes.put(id, body);
        return true;
    }

    /** Writes the file of {@code id} and forgets it; empty when its bytes never came. */
    Optional<Path> save(String id) {
        byte[] body = bytes.remove(id);
        String name = names.remove(id);
        if (body == null || name == null) {
            return Optional.empty();
        }
        try {
            Path where = directory();
            Path file = where.resolve(name);
            int dot = name.lastIndexOf('.');
            for (int n = 2; Files.exists(file); n++) {
                file = where.resolve(dot > 0 ? name.substring(0, dot) + "-" + n + name.substring(dot) : name + "-" + n);
            }
            if (!file.normalize().startsWith(where)) {
                return Optional.empty();
            }
            return Optional.of(Files.write(file, body));
        } catch (IOException e) {
            throw new UncheckedIOException("could not save a sandbox file: " + e.getMessage(), e);
        }
    }

    private synchronized Path directory() throws IOException {
        if (dir == null) {
            dir = (configured.isBlank() ? Files.createTempDirectory("gpu-dev-bot-files-")
                    : Files.createDirectories(Path.of(configured))).toAbsolutePath().normalize();
        }
        return dir;
    }
}
