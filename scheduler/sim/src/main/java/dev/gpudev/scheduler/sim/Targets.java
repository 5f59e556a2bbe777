package dev.gpudev.scheduler.sim;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

import dev.gpudev.scheduler.policy.QueuePolicy;

/**
 * {@code targets [--trace PATH] [--nodes 8,16,32] [--loads 0.7,0.9] [--ends 1,0.95,0.9] [--seeds 42,7] [--jobs 6000] [--csv]}:
 * replays a grid of workloads with {@code gpu-dev}, {@code easy} and {@code gpu-dev-bot} and checks the benchmark's five
 * targets on each, so that a change of policy is judged on many workloads at once instead of one file. A trace is cut
 * at each end (the first 95 % of its jobs, ...) as well as replayed whole: utilization counts up to the last release,
 * so it depends on which long requests arrive last, and the cuts show how much.
 */
final class Targets {
    static final String HEADER = "workload,jobs,mean_ratio,p99_bot_s,p99_easy_s,util_bot,util_best,jain_bot,jain_best,"
            + "expired_bot,expired_fewest,missed";

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
                    bot.utilization(), Math.max(gpuDev.utilization(), easy.utilization()), bot.jain(), Math.max(gpuDev.jain(), easy.jain()),
                    b.expired(), Math.min(g.expired(), e.expired()));
        }

        /** The targets missed: mean wait at most half the better baseline's, p99 no worse than easy's, the rest no worse than either's. */
        List<String> missed() {
            List<String> missed = new ArrayList<>();
            if (meanRatio > 0.5) {
                missed.add("mean");
            }
            if (p99Bot > p99Easy) {
                missed.add("p99");
            }
            if (utilBot < utilBest) {
                missed.add("utilization");
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

    static void run(List<String> args) throws IOException {
        Path trace = null;
        int[] nodes = {16};
        double[] loads = {0.7, 0.9};
        double[] ends = {1};
        long[] seeds = {42};
        int count = 6000;
        boolean csv = false;
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--trace" -> trace = Path.of(args.get(++i));
                case "--nodes" -> nodes = Arrays.stream(args.get(++i).split(",")).mapToInt(Integer::parseInt).toArray();
                case "--loads" -> loads = Arrays.stream(args.get(++i).split(",")).mapToDouble(Double::parseDouble).toArray();
                case "--ends" -> ends = Arrays.stream(args.get(++i).split(",")).mapToDouble(Double::parseDouble).toArray();
                case "--seeds" -> seeds = Arrays.stream(args.get(++i).split(",")).mapToLong(Long::parseLong).toArray();
                case "--jobs" -> count = Integer.parseInt(args.get(++i));
                case "--csv" -> csv = true;
                default -> {
                    System.err.println("unknown argument " + args.get(i) + "\nusage: targets [--trace PATH] [--nodes 8,16,32] "
                            + "[--loads 0.7,0.9] [--ends 1,0.95,0.9] [--seeds 42,7] [--jobs N] [--csv]");
                    System.exit(2);
                }
            }
        }
        List<Job> all = trace == null ? List.of() : Workload.read(trace);
        List<Case> grid = new ArrayList<>();
        for (int n : nodes) {
            for (double load : loads) {
                if (trace != null) {
                    for (double end : ends) {
                        int kept = (int) Math.round(all.size() * end);
                        grid.add(new Case(String.format(Locale.ROOT, "%s nodes=%d load=%.2f end=%.2f", trace.getFileName(), n, load, end),
                                Workload.scaled(all.subList(0, kept), n * Replay.GPUS_PER_NODE, load), n));
                    }
                } else {
                    for (long seed : seeds) {
                        grid.add(new Case(String.format(Locale.ROOT, "synthetic seed=%d nodes=%d load=%.2f", seed, n, load),
                                Workload.scaled(Workload.synthetic(seed, count),
                                        n * Replay.GPUS_PER_NODE, load), n));
                    }
                }
            }
        }
        print(System.out, csv, judge(grid));
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
                out.printf(Locale.ROOT, "%-45s mean %.2fx  p99 %6d/%6d  util %.4f/%.4f  jain %.3f/%.3f  expired %3d/%3d  %s%n",
                        v.workload(), v.meanRatio(), v.p99Bot(), v.p99Easy(), v.utilBot(), v.utilBest(), v.jainBot(), v.jainBest(),
                        v.expiredBot(), v.expiredFewest(), missed.isEmpty() ? "all met" : "missed: " + missed);
            }
        }
        if (csv || verdicts.isEmpty()) {
            return;
        }
        out.println();
        for (String target : List.of("mean", "p99", "utilization", "jain", "expired")) {
            long met = verdicts.stream().filter(v -> !v.missed().contains(target)).count();
            out.printf(Locale.ROOT, "%-12s met in %d of %d workloads%n", target, met, verdicts.size());
        }
        double[] gap = verdicts.stream().mapToDouble(v -> v.utilBot() - v.utilBest()).toArray();
        out.printf(Locale.ROOT, "utilization, gpu-dev-bot minus the better baseline: mean %+.4f, min %+.4f, max %+.4f%n",
                Arrays.stream(gap).average().orElse(0), Arrays.stream(gap).min().orElse(0), Arrays.stream(gap).max().orElse(0));
    }
}
