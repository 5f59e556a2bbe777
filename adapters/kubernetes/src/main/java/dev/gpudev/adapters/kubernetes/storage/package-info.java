/**
 * Users' disks on the cluster: the persistent home and named disks as PersistentVolumeClaims, their CSI snapshots
 * ({@code snapshot.storage.k8s.io/v1}), quotas, retention, and the move of a disk to the zone of the server that mounts
 * it (docs/storage.md, "Servers' storage").
 */
@NullMarked
package dev.gpudev.adapters.kubernetes.storage;

import org.jspecify.annotations.NullMarked;
