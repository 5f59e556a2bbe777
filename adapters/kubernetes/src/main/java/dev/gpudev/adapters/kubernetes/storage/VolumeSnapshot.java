package dev.gpudev.adapters.kubernetes.storage;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The CSI {@code VolumeSnapshot}. fabric8's {@code volumesnapshot-model} is not published for 8.0.0 (Maven Central has
 * it up to 7.5.2, which is built against the 7.x model), so this typed class stands in for the two fields we use.
 */
@Group("snapshot.storage.k8s.io")
@Version("v1")
@Kind("VolumeSnapshot")
@Plural("volumesnapshots")
public final class VolumeSnapshot extends CustomResource<VolumeSnapshot.Spec, VolumeSnapshot.Status> implements Namespaced {
    /** @param source which claim to copy, or for a pre-provisioned snapshot its content */
    public record Spec(String volumeSnapshotClassName, Source source) {
    }

    public record Source(String persistentVolumeClaimName) {
    }

    /** Written by the snapshot controller; {@code readyToUse} once the copy can be restored. */
    public record Status(Boolean readyToUse, String restoreSize, Error error) {
    }

    public record Error(String message) {
    }

    public boolean ready() {
        return getStatus() != null && Boolean.TRUE.equals(getStatus().readyToUse());
    }

    public boolean failed() {
        return getStatus() != null && getStatus().error() != null && !ready();
    }
}
