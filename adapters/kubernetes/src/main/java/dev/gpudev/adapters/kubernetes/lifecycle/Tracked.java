package dev.gpudev.adapters.kubernetes.lifecycle;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.model.Reservation;

/** A server this process watches over: what it showed last and whether it was reported ready. */
final class Tracked {
    final Reservation reservation;
    final String image;
    final String jupyterToken;
    volatile boolean ready;
    volatile boolean probing;
    volatile String lastProgress = "";
    /** The GPU line of the ready message, read while SSH is probed; null until (and unless) it was read. */
    volatile @Nullable String gpus;

    Tracked(Reservation reservation, String image, String jupyterToken, boolean ready) {
        this.reservation = reservation;
        this.image = image;
        this.jupyterToken = jupyterToken;
        this.ready = ready;
    }
}
