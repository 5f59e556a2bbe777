package dev.gpudev.scheduler.policy;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A container image reference in the normalised form the container runtime pulls, following the distribution
 * reference grammar: {@code ubuntu} is {@code docker.io/library/ubuntu:latest}, {@code index.docker.io} is
 * {@code docker.io}, the registry's host is compared without case. Path components are lower-case alphanumerics
 * joined by single separators ({@code .}, {@code _}, {@code __}, dashes), so {@code ..}, empty components and upper
 * case never parse.
 *
 * @param domain registry host (and port), lower case
 * @param path   repository path components
 * @param tag    the tag; {@code latest} when neither tag nor digest was given; null with a digest alone
 * @param digest {@code sha256:<64 hex>} or {@code sha512:<128 hex>}, or null
 */
public record ImageReference(String domain, List<String> path, @Nullable String tag, @Nullable String digest) {
    static final String DOCKER_HUB = "docker.io";
    private static final int MAX_LENGTH = 512;
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]{1,5})?");
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128}");

    public ImageReference {
        path = List.copyOf(path);
    }

    /** The reference, or empty when the text is not one (the runtime would refuse it, or read it differently). */
    public static Optional<ImageReference> parse(String text) {
        if (text.isEmpty() || text.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String rest = text;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                return Optional.empty();
            }
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                return Optional.empty();
            }
        }
        Optional<Repository> repo = repository(rest, true);
        if (repo.isEmpty() || repo.get().path().isEmpty()) {
            return Optional.empty();
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return Optional.of(new ImageReference(repo.get().domain(), repo.get().path(), tag, digest));
    }

    /** A registry with a repository path (possibly empty for a whole registry), as allow-list prefixes name them. */
    public record Repository(String domain, List<String> path) {
        public Repository {
            path = List.copyOf(path);
        }

        public boolean contains(ImageReference image) {
            return domain.equals(image.domain()) && image.path().size() > path.size()
                    && image.path().subList(0, path.size()).equals(path);
        }

        @Override
        public String toString() {
            return domain + "/" + String.join("/", path) + (path.isEmpty() ? "" : "/");
        }
    }

    /**
     * An allow-list prefix: {@code registry/} (the whole registry) or {@code [registry/]path/}, ending in a slash so
     * that {@code team/} never covers {@code team-evil/}.
     */
    static Optional<Repository> prefix(String entry) {
        if (!entry.endsWith("/") || entry.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String body = entry.substring(0, entry.length() - 1);
        if (!body.contains("/") && (body.contains(".") || body.contains(":") || body.equals("localhost"))) {
            return DOMAIN.matcher(body).matches() ? Optional.of(new Repository(domain(body), List.of())) : Optional.empty();
        }
        return repository(body, false);
    }

    /**
     * {@code [domain/]path}: the first component is a registry when it has a dot or a port, is {@code localhost} or
     * has upper case (as the container runtime reads it).
     *
     * @param library whether a one-component Docker Hub name is an official image ({@code ubuntu} is
     *                {@code library/ubuntu}); not for prefixes, where {@code acme/} is the organisation
     */
    static Optional<Repository> repository(String name, boolean library) {
        if (name.isEmpty() || name.startsWith("/")) {
            return Optional.empty();
        }
        List<String> parts = List.of(name.split("/", -1));
        String first = parts.getFirst();
        String domain;
        List<String> path;
        if (parts.size() > 1 && (first.contains(".") || first.contains(":") || first.equals("localhost")
                || !first.equals(first.toLowerCase(Locale.ROOT)))) {
            if (!DOMAIN.matcher(first).matches()) {
                return Optional.empty();
            }
            domain = domain(first);
            path = parts.subList(1, parts.size());
        } else {
            domain = DOCKER_HUB;
            path = parts;
        }
        for (String p : path) {
            if (!COMPONENT.matcher(p).matches()) {
                return Optional.empty();
            }
        }
        if (library && domain.equals(DOCKER_HUB) && path.size() == 1) {
            path = List.of("library", path.getFirst());
        }
        return Optional.of(new Repository(domain, path));
    }

    private static String domain(String host) {
        String d = host.toLowerCase(Locale.ROOT);
        return d.equals("index.docker.io") || d.equals("registry-1.docker.io") ? DOCKER_HUB : d;
    }

    public String repository() {
        return domain + "/" + String.join("/", path);
    }

    /** The full normalised reference, e.g. {@code docker.io/library/ubuntu:22.04}. */
    @Override
    public String toString() {
        return repository() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }
}
