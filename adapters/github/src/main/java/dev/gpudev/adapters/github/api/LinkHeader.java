package dev.gpudev.adapters.github.api;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code rel="next"} target of an RFC 8288 {@code Link} header as GitHub sends it for pagination. */
final class LinkHeader {
    private static final Pattern ENTRY = Pattern.compile("<([^>]*)>([^,<]*)");

    private LinkHeader() {
    }

    static Optional<URI> next(String header) {
        Matcher m = ENTRY.matcher(header);
        while (m.find()) {
            for (String param : m.group(2).split(";")) {
                String[] kv = param.strip().split("=", 2);
                if (kv.length == 2 && kv[0].strip().equalsIgnoreCase("rel")
                        && Arrays.asList(kv[1].strip().replace("\"", "").toLowerCase(Locale.ROOT).split("\\s+")).contains("next")) {
                    return Optional.of(URI.create(m.group(1).strip()));
                }
            }
        }
        return Optional.empty();
    }
}
