package dev.gpudev.scheduler.model;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What a request asks for beyond type, count and duration.
 *
 * @param jupyter       start a token-protected Jupyter server too
 * @param collaborators GitHub users whose keys also open the server
 * @param name          a label the owner chose
 * @param image         a container image other than the configured default
 * @param disk          the owner's named disk the server mounts ({@code --disk}); null: only the home
 */
public record RequestOptions(boolean jupyter, List<GithubLogin> collaborators, @Nullable String name, @Nullable String image,
                             @Nullable DiskName disk) {
    public static final RequestOptions NONE = new RequestOptions(false, List.of(), null, null);

    public RequestOptions {
        collaborators = List.copyOf(collaborators);
    }

    public RequestOptions(boolean jupyter, List<GithubLogin> collaborators, @Nullable String name, @Nullable String image) {
        this(jupyter, collaborators, name, image, null);
    }
}
