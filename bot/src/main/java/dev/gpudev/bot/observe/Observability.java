package dev.gpudev.bot.observe;

import java.util.function.BooleanSupplier;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.engine.SchedulerState;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.GpuType;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.service.ReservationService;

/**
 * {@code /observe/health} (readiness: started and the cluster view synced, on a follower too, so that rollouts and
 * drains count it; Slack reaches only the leader through its pod label) and {@code /observe/metrics}.
 */
public final class Observability {
    private Observability() {
    }

    public static ObserveFeature feature(BooleanSupplier ready) {
        HealthCheck readiness = new HealthCheck() {
            @Override
            public HealthCheckType type() {
                return HealthCheckType.READINESS;
            }

            @Override
            public String name() {
                return "scheduler";
            }

            @Override
            public HealthCheckResponse call() {
                return HealthCheckResponse.builder().status(ready.getAsBoolean()).build();
            }
        };
        return ObserveFeature.builder()
                .addObserver(HealthObserver.builder().details(true).useSystemServices(false).addCheck(readiness).build())
                .addObserver(MetricsObserver.create())
                .build();
    }

    /**
     * Helidon's metrics registry is global and keeps the first gauge of a name, so the gauges read whichever service
     * registered last (one per process in production; tests start several bots in one JVM).
     */
    private static volatile @Nullable ReservationService current;

    /** Gauges of queued, active and free GPUs per type, read from the service's current state. */
    public static void registerGauges(ReservationService service, GpuCatalog catalog) {
        current = service;
        MeterRegistry registry = Metrics.globalRegistry();
        for (GpuType t : catalog.types()) {
            registry.getOrCreate(Gauge.builder("gpudev_queued_requests", () -> current.state().queue(t.name()).size()).tags(Metrics.tags("type", t.name())));
            registry.getOrCreate(Gauge.builder("gpudev_active_gpus", () -> held(current.state(), t.name())).tags(Metrics.tags("type", t.name())));
            registry.getOrCreate(Gauge.builder("gpudev_free_gpus", () -> free(current.state(), t.name())).tags(Metrics.tags("type", t.name())));
        }
    }

    private static int held(SchedulerState s, String type) {
        return s.holding(type).stream().mapToInt(Reservation::gpus).sum();
    }

    private static int free(SchedulerState s, String type) {
        var free = s.free();
        return s.cluster().nodesOf(type).stream().mapToInt(n -> free.getOrDefault(n.name(), 0)).sum();
    }
}
