package dev.gpudev.adapters.github.api;

import java.net.URI;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code rel="next"} target of an RFC 8288 {@code Link} header as GitHub sends it for pagination. */
final class LinkHeader {
    private static final Pattern ENTRY = Pattern.compile("<([^>]*)>\\s*((?:;\\s*[^;,]+)*)");
    private static final Pattern NEXT = Pattern.compile(";\\s*rel=\"?([^\";]*\\s)?next(\\s[^\";]*)?\"?");

    private LinkHeader() {
    }

    static Optional<URI> next(String header) {
        Matcher m = ENTRY.matcher(header);
        while (m.find()) {
            if (NEXT.matcher(m.group(2)).find()) {
                return Optional.of(URI.create(m.group(1).strip()));
            }
        }
        return Optional.empty();
    }
}
