package dev.gpudev.adapters.kubernetes.lifecycle;

import java.util.Locale;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.ContainerStatus;

/** A step of a server's start in plain language, from a pod event or a container status. Pure. */
public sealed interface Progress {
    String text();

    /** Worth showing; the start goes on (or the engine's timeout ends it). */
    record Step(String text) implements Progress {
    }

    /** The start cannot succeed: fail at once instead of waiting for the timeout. */
    record Fatal(String text) implements Progress {
    }

    /** A Kubernetes event of one of the server's pods. */
    static Optional<Progress> ofEvent(String reason, String message, String image) {
        String m = message.strip();
        return Optional.ofNullable(switch (reason) {
            case "Scheduled" -> new Step("scheduled on its node");
            case "Pulling" -> new Step("pulling image " + image + "...");
            case "Pulled" -> new Step("image pulled, starting");
            case "Started" -> new Step("container started, waiting for SSH");
            case "FailedScheduling" -> new Step("waiting for the node: " + m);
            case "FailedMount", "FailedAttachVolume" -> new Step("waiting for a volume: " + m);
            case "Failed" -> pullFailure(m, image);
            case "BackOff" -> m.contains("pulling image") ? new Step("ImagePullBackOff: cannot pull " + image + ", retrying")
                    : new Step("CrashLoopBackOff: the server keeps exiting; check that the image can run sshd");
            case "Evicted" -> new Fatal("evicted: " + m);
            case "OOMKilling" -> new Step("OOMKilled: the server ran out of memory and restarts");
            default -> null;
        });
    }

    /** The state of the server's container, which outlives the events. */
    static Optional<Progress> ofContainer(ContainerStatus status, String image) {
        if (status.getState() == null) {
            return Optional.empty();
        }
        if (status.getState().getWaiting() != null) {
            String reason = String.valueOf(status.getState().getWaiting().getReason());
            String message = status.getState().getWaiting().getMessage() == null ? "" : status.getState().getWaiting().getMessage();
            return Optional.ofNullable(switch (reason) {
                case "ErrImagePull", "ImagePullBackOff", "InvalidImageName" -> {
                    Progress p = pullFailure(message, image);
                    yield p instanceof Fatal || reason.equals("InvalidImageName") ? new Fatal("image not found: " + image + " — check the name")
                            : new Step(reason + ": cannot pull " + image + ", retrying");
                }
                case "CrashLoopBackOff" -> new Step("CrashLoopBackOff: the server keeps exiting; check that the image can run sshd");
                case "CreateContainerConfigError" -> new Fatal("the server's configuration is invalid: " + message);
                default -> null;
            });
        }
        if (status.getLastState() != null && status.getLastState().getTerminated() != null
                && "OOMKilled".equals(status.getLastState().getTerminated().getReason())) {
            return Optional.of(new Step("OOMKilled: the server ran out of memory and restarted"));
        }
        return Optional.empty();
    }

    private static Progress pullFailure(String message, String image) {
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("not found") || m.contains("manifest unknown") || m.contains("pull access denied")
                || m.contains("repository does not exist") || m.contains("invalid reference format")) {
            return new Fatal("image not found: " + image + " — check the name");
        }
        return new Step("cannot pull " + image + " yet, retrying" + (message.isBlank() ? "" : ": " + message));
    }
}
