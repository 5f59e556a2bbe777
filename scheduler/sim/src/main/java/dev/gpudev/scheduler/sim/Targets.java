package dev.gpudev.scheduler.sim;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.policy.QueuePolicy;

/**
 * {@code targets [--trace PATH] [--only trace|synthetic] [--seeds 42,7,99] [--nodes N,..] [--loads 0.7,0.9] [--ends 1,0.9,0.8]
 * [--jobs 6000] [--csv]}: replays a grid of workloads with {@code gpu-dev}, {@code easy} and {@code gpu-dev-bot} and checks
 * the benchmark's five targets on each, so that a change of policy is judged on many workloads at once instead of one
 * file. By default it is the grid of issue 16: the trace ({@code --trace}, else {@link #DEFAULT_TRACE} when present) on
 * 8, 16 and 32 nodes x loads 0.7 and 0.9 x ends 1, 0.9 and 0.8, and the synthetic seeds 42, 7 and 99 on 16 and 32 nodes
 * x the same loads. {@code --only} runs one part; {@code --nodes} sets the sizes of both. A trace is cut at each end
 * (the first 90 % of its jobs, ...) as well as replayed whole, so no figure rests on one file's end.
 */
final class Targets {
    static final String HEADER = "workload,jobs,mean_ratio,p99_bot_s,p99_easy_s,util_window_bot,util_window_best,jain_bot,jain_best,"
            + "expired_bot,expired_fewest,missed";
    static final Path DEFAULT_TRACE = Path.of("..", "shared", "traces", "philly-14k.csv");
    static final List<String> TARGETS = List.of("mean", "p99", "utilization_window", "jain", "expired");

    private Targets() {
    }

    /** One workload's figures: gpu-dev-bot against the better of gpu-dev and easy, as the targets compare them. */
    record Verdict(String workload, int jobs, double meanRatio, long p99Bot, long p99Easy, double utilBot, double utilBest,
                   double jainBot, double jainBest, int expiredBot, int expiredFewest) {

        static Verdict of(String workload, Outcome gpuDev, Outcome easy, Outcome bot) {
            Outcome.Waits g = gpuDev.waits(j -> true);
            Outcome.Waits e = easy.waits(j -> true);
            Outcome.Waits b = bot.waits(j -> true);
            return new Verdict(workload, b.jobs(), b.mean() / Math.max(1e-9, Math.min(g.mean(), e.mean())), b.p99(), e.p99(),
                    bot.utilizationWindow(), Math.max(gpuDev.utilizationWindow(), easy.utilizationWindow()), bot.jain(),
                    Math.max(gpuDev.jain(), easy.jain()), b.expired(), Math.min(g.expired(), e.expired()));
        }

        /**
         * The targets missed: mean wait at most half the better baseline's, p99 no worse than easy's, utilization in the
         * window of demand, Jain's index and expiries no worse than either's.
         */
        List<String> missed() {
            List<String> missed = new ArrayList<>();
            if (meanRatio > 0.5) {
                missed.add("mean");
            }
            if (p99Bot > p99Easy) {
                missed.add("p99");
            }
            if (utilBot < utilBest) {
                missed.add("utilization_window");
            }
            if (jainBot < jainBest) {
                missed.add("jain");
            }
            if (expiredBot > expiredFewest) {
                missed.add("expired");
            }
            return missed;
        }
    }

    /** A workload of the grid: its name, and its jobs already scaled to the load on {@code nodes} nodes. */
    record Case(String name, List<Job> jobs, int nodes) {
    }

    /** What to replay; a null trace or an empty seed list leaves that part out. */
    record Grid(@Nullable Path trace, int[] traceNodes, long[] seeds, int[] syntheticNodes, double[] loads, double[] ends, int jobs) {
        static Grid parse(List<String> args, Path defaultTrace) {
            Path trace = null;
            String only = "";
            long[] seeds = {42, 7, 99};
            int[] nodes = null;
            double[] loads = {0.7, 0.9};
            double[] ends = {1, 0.9, 0.8};
            int count = 6000;
            for (int i = 0; i < args.size(); i++) {
                switch (args.get(i)) {
                    case "--trace" -> trace = Path.of(args.get(++i));
                    case "--nodes" -> nodes = Arrays.stream(args.get(++i).split(",")).mapToInt(Integer::parseInt).toArray();
                    case "--loads" -> loads = Arrays.stream(args.get(++i).split(",")).mapToDouble(Double::parseDouble).toArray();
                    case "--ends" -> ends = Arrays.stream(args.get(++i).split(",")).mapToDouble(Double::parseDouble).toArray();
                    case "--seeds" -> seeds = Arrays.stream(args.get(++i).split(",")).mapToLong(Long::parseLong).toArray();
                    case "--jobs" -> count = Integer.parseInt(args.get(++i));
                    case "--only" -> only = args.get(++i);
                    case "--csv" -> {
                    }
                    default -> throw new IllegalArgumentException("unknown argument " + args.get(i) + "\nusage: targets [--trace PATH] "
                            + "[--seeds 42,7,99] [--nodes 8,16,32] [--loads 0.7,0.9] [--ends 1,0.9,0.8] [--jobs N] [--csv]");
                }
            }
            if (!List.of("", "trace", "synthetic").contains(only)) {
                throw new IllegalArgumentException("--only takes trace or synthetic, not " + only);
            }
            if (only.equals("synthetic")) {
                trace = null;
            } else if (trace == null) {
                trace = Files.isRegularFile(defaultTrace) ? defaultTrace : null;
                if (trace == null) {
                    System.err.println("# no trace at " + defaultTrace + ": synthetic workloads only (give --trace PATH)");
                }
            }
            return new Grid(trace, nodes != null ? nodes : new int[]{8, 16, 32}, only.equals("trace") ? new long[0] : seeds,
                    nodes != null ? nodes : new int[]{16, 32}, loads, ends, count);
        }

        List<Case> cases() throws IOException {
            List<Case> grid = new ArrayList<>();
            if (trace != null) {
                List<Job> all = Workload.read(trace);
                for (int n : traceNodes) {
                    for (double load : loads) {
                        for (double end : ends) {
                            int kept = (int) Math.round(all.size() * end);
                            grid.add(new Case(String.format(Locale.ROOT, "%s nodes=%d load=%.2f end=%.2f", trace.getFileName(), n, load, end),
                                    Workload.scaled(all.subList(0, kept), n * Replay.GPUS_PER_NODE, load), n));
                        }
                    }
                }
            }
            for (int n : syntheticNodes) {
                for (double load : loads) {
                    for (long seed : seeds) {
                        grid.add(new Case(String.format(Locale.ROOT, "synthetic seed=%d nodes=%d load=%.2f", seed, n, load),
                                Workload.scaled(Workload.synthetic(seed, jobs), n * Replay.GPUS_PER_NODE, load), n));
                    }
                }
            }
            return grid;
        }
    }

    static void run(List<String> args) throws IOException {
        List<Case> grid = Grid.parse(args, DEFAULT_TRACE).cases();
        print(System.out, args.contains("--csv"), judge(grid));
    }

    /** Replays each workload with the three policies, the workloads in parallel. */
    static List<Verdict> judge(List<Case> grid) {
        return IntStream.range(0, grid.size()).parallel().mapToObj(i -> {
            Case w = grid.get(i);
            return Verdict.of(w.name(), Replay.run(Baseline.GPU_DEV, w.jobs(), w.nodes()), Replay.run(Baseline.EASY, w.jobs(), w.nodes()),
                    Replay.run(QueuePolicy.GPU_DEV_BOT, w.jobs(), w.nodes()));
        }).toList();
    }

    static void print(PrintStream out, boolean csv, List<Verdict> verdicts) {
        if (csv) {
            out.println(HEADER);
        }
        for (Verdict v : verdicts) {
            String missed = String.join(" ", v.missed());
            if (csv) {
                out.printf(Locale.ROOT, "%s,%d,%.3f,%d,%d,%.4f,%.4f,%.3f,%.3f,%d,%d,%s%n", v.workload(), v.jobs(), v.meanRatio(), v.p99Bot(),
                        v.p99Easy(), v.utilBot(), v.utilBest(), v.jainBot(), v.jainBest(), v.expiredBot(), v.expiredFewest(), missed);
            } else {
                out.printf(Locale.ROOT, "%-45s mean %.2fx  p99 %6d/%6d  uwin %.4f/%.4f  jain %.3f/%.3f  expired %3d/%3d  %s%n",
                        v.workload(), v.meanRatio(), v.p99Bot(), v.p99Easy(), v.utilBot(), v.utilBest(), v.jainBot(), v.jainBest(),
                        v.expiredBot(), v.expiredFewest(), missed.isEmpty() ? "all met" : "missed: " + missed);
            }
        }
        if (csv || verdicts.isEmpty()) {
            return;
        }
        out.println();
        for (String target : TARGETS) {
            long met = verdicts.stream().filter(v -> !v.missed().contains(target)).count();
            out.printf(Locale.ROOT, "%-18s met in %d of %d workloads%n", target, met, verdicts.size());
        }
        out.printf(Locale.ROOT, "%-18s met in %d of %d workloads%n", "all five", verdicts.stream().filter(v -> v.missed().isEmpty()).count(),
                verdicts.size());
        double[] gap = verdicts.stream().mapToDouble(v -> v.utilBot() - v.utilBest()).toArray();
        out.printf(Locale.ROOT, "utilization_window, gpu-dev-bot minus the better baseline: mean %+.4f, min %+.4f, max %+.4f%n",
                Arrays.stream(gap).average().orElse(0), Arrays.stream(gap).min().orElse(0), Arrays.stream(gap).max().orElse(0));
    }
}
