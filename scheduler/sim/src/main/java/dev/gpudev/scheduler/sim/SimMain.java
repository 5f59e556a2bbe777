package dev.gpudev.scheduler.sim;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntPredicate;

import dev.gpudev.scheduler.policy.QueuePolicy;

/**
 * {@code replay [--trace PATH] [--nodes 16] [--load 0.9] [--csv] [--policies gpu-dev,fifo,easy,gpu-dev-bot] [--seed 42] [--jobs 6000]}:
 * replays a workload through the engine once per policy and prints one row each, a {@code bound} row, and the waits
 * per request size, and how long each policy took to finish after the last submission (utilization counts up to the last
 * release, so the job that ends last weighs on it). {@code --bookings F} replays with a fraction F of the jobs booked
 * ahead instead ({@link BookingReplay}). {@code targets ...} checks the benchmark's targets on a grid of workloads instead ({@link Targets}).
 */
public final class SimMain {
    static final String HEADER = "policy,jobs,expired,mean_wait_s,p50_wait_s,p95_wait_s,p99_wait_s,max_wait_s,utilization,utilization_window,fragmentation_h,jain,decisions_per_s";
    static final String SIZE_HEADER = "size,policy,jobs,expired,mean_wait_s,p50_wait_s,p95_wait_s,p99_wait_s,max_wait_s";
    static final String ETA_HEADER = "policy,queued_with_eta,started,eta_error_p50_s,eta_error_p90_s,within_15m";
    static final String DRAIN_HEADER = "policy,last_release_after_last_submit_h,last_job_gpus,last_job_run_h,last_job_wait_h";
    private static final int[] SIZES = {1, 2, 4, 8, 16};

    private SimMain() {
    }

    /** A trace that cannot be read is answered with what is wrong in it (file, line, field) and exit status 2, not a stack trace. */
    public static void main(String[] args) throws IOException {
        try {
            run(args);
        } catch (IllegalArgumentException | NoSuchFileException e) {
            System.err.println((e instanceof NoSuchFileException ? "no such file: " : "") + e.getMessage());
            System.exit(2);
        }
    }

    private static void run(String[] args) throws IOException {
        List<String> a = new ArrayList<>(Arrays.asList(args));
        if (!a.isEmpty() && a.getFirst().equals("targets")) {
            Targets.run(a.subList(1, a.size()));
            return;
        }
        if (!a.isEmpty() && a.getFirst().equals("replay")) {
            a.removeFirst();
        }
        Path trace = null;
        int nodes = 16;
        double load = 0.9;
        boolean csv = false;
        long seed = 42;
        int count = 6000;
        List<QueuePolicy> policies = Baseline.ALL;
        double bookings = 0;
        for (int i = 0; i < a.size(); i++) {
            switch (a.get(i)) {
                case "--trace" -> trace = Path.of(a.get(++i));
                case "--nodes" -> nodes = Integer.parseInt(a.get(++i));
                case "--load" -> load = Double.parseDouble(a.get(++i));
                case "--csv" -> csv = true;
                case "--seed" -> seed = Long.parseLong(a.get(++i));
                case "--jobs" -> count = Integer.parseInt(a.get(++i));
                case "--policies" -> policies = Arrays.stream(a.get(++i).split(",")).map(Baseline::of).toList();
                case "--bookings" -> bookings = Double.parseDouble(a.get(++i));
                default -> {
                    System.err.println("unknown argument " + a.get(i) + "\nusage: replay [--trace PATH] [--nodes N] [--load RHO] [--csv] "
                            + "[--policies gpu-dev,fifo,easy,gpu-dev-bot] [--seed S] [--jobs N] [--bookings F]");
                    System.exit(2);
                }
            }
        }
        List<Job> raw = trace == null ? Workload.synthetic(seed, count) : Workload.read(trace);
        int gpus = nodes * Replay.GPUS_PER_NODE;
        List<Job> jobs = Workload.scaled(raw, gpus, load);
        if (bookings > 0) {
            BookingReplay.run(System.out, jobs, nodes, bookings, seed);
            return;
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (QueuePolicy p : policies) {
            outcomes.add(Replay.run(p, jobs, nodes));
        }
        PooledBound.Result bound = PooledBound.of(jobs, gpus);
        PrintStream out = System.out;
        if (!csv) {
            out.printf(Locale.ROOT, "# %s, %d jobs, %d nodes x %d GPUs, offered load %.2f%n",
                    trace == null ? "synthetic workload (seed " + seed + ")" : trace.getFileName(), jobs.size(), nodes, Replay.GPUS_PER_NODE, load);
        }
        print(out, csv, outcomes, bound);
    }

    static void print(PrintStream out, boolean csv, List<Outcome> outcomes, PooledBound.Result bound) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER.split(","));
        for (Outcome o : outcomes) {
            Outcome.Waits w = o.waits(j -> true);
            rows.add(new String[]{o.policy(), "" + w.jobs(), "" + w.expired(), f(w.mean()), "" + w.p50(), "" + w.p95(), "" + w.p99(),
                    "" + w.max(), f3(o.utilization()), f3(o.utilizationWindow()), f(o.fragmentationHours()), f3(o.jain()), f(o.decisionsPerSecond())});
        }
        double boundMean = Arrays.stream(bound.waits()).average().orElse(0);
        String none = csv ? "" : "-";
        rows.add(new String[]{"bound", "" + bound.waits().length, none, f(boundMean), none, none, none, none,
                f3(bound.utilization()), none, none, none, none});
        table(out, csv, rows);
        out.println();
        List<String[]> sizes = new ArrayList<>();
        sizes.add(SIZE_HEADER.split(","));
        List<Job> jobs = outcomes.getFirst().jobs();
        for (int size : SIZES) {
            IntPredicate ofSize = j -> jobs.get(j).gpus() == size;
            for (Outcome o : outcomes) {
                Outcome.Waits w = o.waits(ofSize);
                sizes.add(new String[]{"" + size, o.policy(), "" + w.jobs(), "" + w.expired(), f(w.mean()), "" + w.p50(),
                        "" + w.p95(), "" + w.p99(), "" + w.max()});
            }
            long[] bw = jobs.stream().filter(j -> j.gpus() == size).mapToLong(j -> bound.waits()[j.index()]).toArray();
            sizes.add(new String[]{"" + size, "bound", "" + bw.length, none, f(Arrays.stream(bw).average().orElse(0)), none, none, none, none});
        }
        table(out, csv, sizes);
        out.println();
        List<String[]> etas = new ArrayList<>();
        etas.add(ETA_HEADER.split(","));
        for (Outcome o : outcomes) {
            Outcome.EtaQuality q = o.etaQuality();
            etas.add(new String[]{o.policy(), "" + q.told(), "" + q.started(), "" + q.p50(), "" + q.p90(), f3(q.onTime())});
        }
        table(out, csv, etas);
        out.println();
        List<String[]> drain = new ArrayList<>();
        drain.add(DRAIN_HEADER.split(","));
        long lastSubmit = jobs.getLast().submit();
        for (Outcome o : outcomes) {
            Job last = o.lastToEnd();
            drain.add(new String[]{o.policy(), f((o.lastRelease() - lastSubmit) / 3600.0), "" + last.gpus(), f(last.run() / 3600.0),
                    f(o.wait(last.index()) / 3600.0)});
        }
        table(out, csv, drain);
    }

    private static void table(PrintStream out, boolean csv, List<String[]> rows) {
        if (csv) {
            rows.forEach(r -> out.println(String.join(",", r)));
            return;
        }
        int[] width = new int[rows.getFirst().length];
        rows.forEach(r -> {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        });
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(i == 0 ? String.format("%-" + width[i] + "s", r[i]) : String.format("  %" + width[i] + "s", r[i]));
            }
            out.println(line);
        }
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
