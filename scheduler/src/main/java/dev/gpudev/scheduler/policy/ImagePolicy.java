package dev.gpudev.scheduler.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * Which container images a request may name: the cluster's default image, named images ({@code ghcr.io/acme/dev}: any
 * tag or digest of that repository; {@code ghcr.io/acme/dev:1}: that tag; {@code ...@sha256:...}: that digest) and
 * registry prefixes ending in {@code /} ({@code 1234.dkr.ecr.us-east-1.amazonaws.com/ml/}: every repository under
 * it). Everything is compared in the normalised form the container runtime pulls ({@link ImageReference}).
 *
 * @param defaultImage the cluster's default, always allowed; null when the cluster does not say (then no
 *                     {@code --image} is accepted)
 */
public record ImagePolicy(@Nullable ImageReference defaultImage, List<ImageReference> named, List<ImageReference.Repository> prefixes) {
    /** Only the cluster's default image, whatever it is: every {@code --image} is refused. */
    public static final ImagePolicy DEFAULT_ONLY = new ImagePolicy(null, List.of(), List.of());

    public ImagePolicy {
        named = List.copyOf(named);
        prefixes = List.copyOf(prefixes);
    }

    /**
     * @param defaultImage the default image
     * @param allowed      named images and prefixes (ending in {@code /})
     * @throws IllegalArgumentException naming the first entry that is neither
     */
    public static ImagePolicy of(String defaultImage, List<String> allowed) {
        ImageReference d = ImageReference.parse(defaultImage)
                .orElseThrow(() -> new IllegalArgumentException("not an image reference: " + defaultImage));
        List<ImageReference> named = new ArrayList<>();
        List<ImageReference.Repository> prefixes = new ArrayList<>();
        for (String entry : allowed) {
            String e = entry.strip();
            if (e.endsWith("/")) {
                prefixes.add(ImageReference.prefix(e).orElseThrow(() -> new IllegalArgumentException(
                        "not a registry prefix (registry/path/): " + entry)));
            } else {
                named.add(named(e).orElseThrow(() -> new IllegalArgumentException("not an image reference: " + entry)));
            }
        }
        return new ImagePolicy(d, named, prefixes);
    }

    /** A named entry keeps "no tag" as "any tag" (the tag is null, not {@code latest}). */
    private static Optional<ImageReference> named(String entry) {
        boolean pinned = entry.contains("@") || entry.lastIndexOf(':') > entry.lastIndexOf('/');
        return ImageReference.parse(entry).map(r -> pinned ? r : new ImageReference(r.domain(), r.path(), null, null));
    }

    /** The normalised image to run, or empty when the text is no image reference or not allowed. */
    public Optional<String> admit(String requested) {
        Optional<ImageReference> parsed = ImageReference.parse(requested.strip());
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        ImageReference image = parsed.get();
        boolean ok = image.equals(defaultImage)
                || named.stream().anyMatch(n -> matches(n, image))
                || prefixes.stream().anyMatch(p -> p.contains(image));
        return ok ? Optional.of(image.toString()) : Optional.empty();
    }

    private static boolean matches(ImageReference entry, ImageReference image) {
        if (!entry.repository().equals(image.repository())) {
            return false;
        }
        if (entry.digest() != null) {
            return entry.digest().equals(image.digest());
        }
        if (entry.tag() != null) {
            // with a digest the runtime ignores the tag: a pinned tag admits no digest
            return entry.tag().equals(image.tag()) && image.digest() == null;
        }
        return true;
    }

    /** The refusal: what was asked for, and every image that would be accepted. */
    public String refusal(String requested) {
        String shown = shown(requested);
        String what = ImageReference.parse(requested.strip()).isEmpty()
                ? "`" + shown + "` is not an image reference (lower-case `registry/path:tag`)."
                : "The image `" + shown + "` is not allowed on this cluster.";
        return what + " " + allowed();
    }

    /** What may be asked for, in Slack markup, after a refusal. */
    public String allowed() {
        if (defaultImage == null) {
            return "This cluster runs its default image only: reserve without `--image`.";
        }
        return describe("`", "reserve without `--image`");
    }

    /** What may be asked for, as plain text under a form's image field. */
    public String hint() {
        return describe("", "leave this empty");
    }

    /** Whether a request may name any image at all (else a form need not ask for one). */
    public boolean offersChoice() {
        return defaultImage != null;
    }

    private String describe(String quote, String useDefault) {
        List<String> items = new ArrayList<>();
        items.add(quote + defaultImage + quote + " (the default: " + useDefault + ")");
        named.forEach(n -> items.add(quote + n + quote + (n.tag() == null && n.digest() == null ? " (any tag)" : "")));
        prefixes.forEach(p -> items.add("any image under " + quote + p + quote));
        return "Allowed: " + items.stream().collect(Collectors.joining(", ")) + ".";
    }

    /** The user's text safe to echo inside a code span: no markup, bounded. */
    private static String shown(String text) {
        String s = text.strip().replaceAll("[^A-Za-z0-9._:/@+-]", "?");
        return s.length() > 100 ? s.substring(0, 100) + "…" : s;
    }
}
