package dev.gpudev.bot.wiring;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.gpudev.adapters.telemetry.SimulatedTelemetry;
import dev.gpudev.scheduler.engine.SchedulerState;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.port.GpuReading;
import dev.gpudev.scheduler.port.GpuTelemetry;
import dev.gpudev.scheduler.usage.Held;

/**
 * The sandbox's GPU telemetry: every running server is idle from the moment it became ready, unless the console marked it
 * busy ({@code :busy <id> [percent]}) or idle again ({@code :idle <id>}) from the sandbox's now on. In the wiring because
 * it is built on the telemetry adapter's simulation; the console only hands it its lines. A server is known from the
 * moment it became ACTIVE whenever it is first asked about, also after it ended (the usage reports read the past).
 */
public final class SimulatedGpus implements GpuTelemetry {
    public static final String HELP = "`:busy <id> [percent]` runs a server's GPUs (85 % unless given), `:idle <id>` idles them again";
    private final SimulatedTelemetry sim = new SimulatedTelemetry(Duration.ofMinutes(1));
    private final Supplier<SchedulerState> state;
    private final Function<ReservationId, Optional<Reservation>> history;
    private final Clock clock;

    /** @param history an ended reservation by id (the store) */
    public SimulatedGpus(Supplier<SchedulerState> state, Function<ReservationId, Optional<Reservation>> history, Clock clock) {
        this.state = state;
        this.history = history;
        this.clock = clock;
    }

    @Override
    public Map<ReservationId, GpuReading> read(Set<ReservationId> reservations, Instant from, Instant to) {
        SchedulerState now = state.get();
        reservations.stream().filter(id -> !sim.knows(id)).forEach(id -> now.find(id).or(() -> history.apply(id)).ifPresent(this::known));
        return sim.read(reservations, from, to);
    }

    /** A console line this handles ({@code :busy}, {@code :idle}): what to print; empty for any other line. */
    public Optional<String> console(String line) {
        String[] words = line.strip().split("\\s+");
        if (!words[0].equals(":busy") && !words[0].equals(":idle")) {
            return Optional.empty();
        }
        boolean busy = words[0].equals(":busy");
        if (words.length < 2 || words.length > (busy ? 3 : 2)) {
            return Optional.of("(" + (busy ? "`:busy <id> [percent]`, e.g. `:busy h100-7f3a` or `:busy h100-7f3a 40`"
                    : "`:idle <id>`, e.g. `:idle h100-7f3a`") + ")");
        }
        double percent = 85;
        if (words.length == 3) {
            try {
                percent = Double.parseDouble(words[2].replace("%", ""));
            } catch (NumberFormatException e) {
                percent = -1;
            }
            if (!(percent >= 0 && percent <= 100)) {
                return Optional.of("(the percent is a number from 0 to 100, not `" + words[2] + "`; nothing changed)");
            }
        }
        String prefix = words[1].toLowerCase(Locale.ROOT);
        List<Reservation> running = state.get().inState(ReservationState.ACTIVE).stream().filter(r -> r.id().value().startsWith(prefix)).toList();
        if (running.size() != 1) {
            return Optional.of(running.isEmpty() ? "(no running server `" + prefix + "`; `/gpu list all` shows the running ones)"
                    : "(`" + prefix + "` matches " + running.size() + " servers; give more of the id)");
        }
        Reservation r = running.getFirst();
        known(r);
        sim.utilization(r.id(), busy ? percent : 0, clock.instant());
        return Optional.of("(the GPUs of " + r.id() + " now run at " + String.format(Locale.ROOT, "%.0f", busy ? percent : 0.0) + " %)");
    }

    private void known(Reservation r) {
        if (r.state() == ReservationState.ACTIVE && !sim.knows(r.id())) {
            sim.started(r.id(), r.gpus(), r.updatedAt());
        } else if (r.state() == ReservationState.ENDED && !sim.knows(r.id())) {
            Held.of(r, clock.instant()).ifPresent(h -> sim.started(r.id(), r.gpus(), h.from()));
        }
    }
}
