package dev.gpudev.bot.slack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * HTTP/1.1 over a plain socket, for what an HTTP client will not do: declare a body and not send it, or stream a
 * chunked body while reading the answer. Each call opens its own connection.
 */
public final class RawHttp {
    /** Guards against a server that waits for the body forever; the tests assert the status, not the time. */
    private static final int READ_TIMEOUT_MS = 30_000;

    private RawHttp() {
    }

    /** Sends only the head, declaring {@code length} bytes of body, and returns the status the server answers with. */
    public static int declaredOnly(int port, String method, String path, long length, String... headers) throws IOException {
        try (Socket socket = open(port)) {
            OutputStream out = socket.getOutputStream();
            out.write(head(method, path, "Content-Length: " + length, headers).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return status(socket.getInputStream());
        }
    }

    /**
     * Streams {@code total} bytes as 64 KiB chunks on a second thread while this one reads the answer, so a server
     * that answers early is heard; a server that reads everything answers after the last chunk.
     */
    public static int chunked(int port, String method, String path, long total, String... headers) throws Exception {
        try (Socket socket = open(port)) {
            OutputStream out = socket.getOutputStream();
            Thread writer = Thread.ofVirtual().start(() -> {
                byte[] chunk = new byte[64 * 1024];
                Arrays.fill(chunk, (byte) 'a');
                try {
                    out.write(head(method, path, "Transfer-Encoding: chunked", headers).getBytes(StandardCharsets.US_ASCII));
                    for (long sent = 0; sent < total; sent += chunk.length) {
                        out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(chunk);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException closedByServer) {
                    // the server stopped reading: expected once it has answered 413
                }
            });
            int status = status(socket.getInputStream());
            socket.close();
            writer.join();
            return status;
        }
    }

    private static Socket open(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(READ_TIMEOUT_MS);
        return socket;
    }

    /** @param headers more header lines, {@code Name: value} */
    private static String head(String method, String path, String framing, String... headers) {
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\n" + framing + "\r\n");
        for (String h : headers) {
            head.append(h).append("\r\n");
        }
        return head.append("\r\n").toString();
    }

    private static int status(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
            line.write(b);
        }
        String text = line.toString(StandardCharsets.US_ASCII).strip();
        if (!text.startsWith("HTTP/1.1 ")) {
            throw new IOException("no HTTP status line, got '" + text + "'");
        }
        return Integer.parseInt(text.substring(9, 12));
    }
}
