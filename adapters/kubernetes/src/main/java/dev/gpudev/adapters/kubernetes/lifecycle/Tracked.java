package dev.gpudev.adapters.kubernetes.lifecycle;

import dev.gpudev.scheduler.model.Reservation;

/** A server this process watches over: what it showed last and whether it was reported ready. */
final class Tracked {
    final Reservation reservation;
    final String image;
    final String jupyterToken;
    volatile boolean ready;
    volatile boolean probing;
    volatile String lastProgress = "";

    Tracked(Reservation reservation, String image, String jupyterToken, boolean ready) {
        this.reservation = reservation;
        this.image = image;
        this.jupyterToken = jupyterToken;
        this.ready = ready;
    }
}
