package dev.gpudev.scheduler.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gpudev.scheduler.policy.QueuePolicy;

class TargetsTest {
    final Targets.Verdict met = new Targets.Verdict("w", 100, 0.5, 1000, 1000, 0.8, 0.8, 0.5, 0.5, 2, 2);

    @Test
    void eachTargetIsMetAtItsBoundAndMissedJustPastIt() {
        assertThat(met.missed()).isEmpty();
        assertThat(new Targets.Verdict("w", 100, 0.51, 1001, 1000, 0.799, 0.8, 0.49, 0.5, 3, 2).missed())
                .containsExactly("mean", "p99", "utilization_window", "jain", "expired");
        assertThat(new Targets.Verdict("w", 100, 0.2, 900, 1000, 0.7999, 0.8, 0.9, 0.5, 0, 2).missed()).containsExactly("utilization_window");
    }

    @Test
    void aVerdictComparesTheBotWithTheBetterBaselineOfTheSameWorkload() {
        List<Job> jobs = Workload.scaled(Workload.synthetic(7, 300), 32, 0.9);
        Outcome gpuDev = Replay.run(Baseline.GPU_DEV, jobs, 4);
        Outcome easy = Replay.run(Baseline.EASY, jobs, 4);
        Outcome bot = Replay.run(QueuePolicy.GPU_DEV_BOT, jobs, 4);
        Targets.Verdict v = Targets.Verdict.of("w", gpuDev, easy, bot);
        double best = Math.min(gpuDev.waits(j -> true).mean(), easy.waits(j -> true).mean());
        assertThat(v.meanRatio()).isCloseTo(bot.waits(j -> true).mean() / best, offset(1e-9));
        assertThat(v.p99Easy()).isEqualTo(easy.waits(j -> true).p99());
        assertThat(v.utilBot()).isEqualTo(bot.utilizationWindow());
        assertThat(v.utilBest()).isEqualTo(Math.max(gpuDev.utilizationWindow(), easy.utilizationWindow()));
        assertThat(v.jainBest()).isEqualTo(Math.max(gpuDev.jain(), easy.jain()));
        assertThat(v).isEqualTo(Targets.judge(List.of(new Targets.Case("w", jobs, 4))).getFirst());
    }

    @Test
    void theGridIsIssue16sTraceAndSyntheticPartsUnlessOneIsAskedForAlone(@TempDir Path dir) throws IOException {
        Path trace = dir.resolve("tiny.csv");
        List<String> lines = new ArrayList<>(List.of("u_id,user,gpu_num,cpu_num,node_num,interval,run_time"));
        for (int i = 0; i < 10; i++) {
            lines.add(i + ",u" + (i % 3) + "," + (i % 2 == 0 ? 1 : 8) + ",1,1,600," + (600 + 300 * i));
        }
        Files.write(trace, lines);

        List<String> all = names(Targets.Grid.parse(List.of("--jobs", "40"), trace));
        assertThat(all).hasSize(3 * 2 * 3 + 2 * 2 * 3);
        assertThat(all).contains("tiny.csv nodes=8 load=0.70 end=1.00", "tiny.csv nodes=32 load=0.90 end=0.80",
                "synthetic seed=99 nodes=16 load=0.70", "synthetic seed=42 nodes=32 load=0.90");
        assertThat(all).noneMatch(n -> n.startsWith("synthetic") && n.contains("nodes=8 "));

        assertThat(names(Targets.Grid.parse(List.of("--jobs", "40"), dir.resolve("absent.csv")))).hasSize(12).allMatch(n -> n.startsWith("synthetic"));
        assertThat(names(Targets.Grid.parse(List.of("--trace", trace.toString(), "--jobs", "40"), dir.resolve("absent.csv")))).isEqualTo(all);
        assertThat(names(Targets.Grid.parse(List.of("--trace", trace.toString(), "--only", "trace"), dir.resolve("absent.csv")))).hasSize(18)
                .allMatch(n -> n.startsWith("tiny.csv"));
        assertThat(names(Targets.Grid.parse(List.of("--only", "synthetic", "--seeds", "5", "--nodes", "4", "--loads", "0.8", "--jobs", "40"), trace)))
                .containsExactly("synthetic seed=5 nodes=4 load=0.80");
        assertThatThrownBy(() -> Targets.Grid.parse(List.of("--only", "philly"), trace)).hasMessageContaining("--only takes trace or synthetic");
        assertThatThrownBy(() -> Targets.Grid.parse(List.of("--node", "4"), trace)).hasMessageContaining("unknown argument --node")
                .hasMessageContaining("usage: targets");
    }

    static List<String> names(Targets.Grid grid) throws IOException {
        return grid.cases().stream().map(Targets.Case::name).toList();
    }

    @Test
    void theTableHasARowPerWorkloadInOrderAndCountsTheTargetsMet() {
        Targets.Verdict missed = new Targets.Verdict("second", 100, 0.6, 1000, 1000, 0.7, 0.8, 0.5, 0.5, 2, 2);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Targets.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, List.of(met, missed));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(0)).startsWith("w ").endsWith("all met");
        assertThat(lines.get(1)).startsWith("second ").endsWith("missed: mean utilization_window");
        assertThat(lines).contains("mean               met in 1 of 2 workloads", "p99                met in 2 of 2 workloads",
                "utilization_window met in 1 of 2 workloads", "all five           met in 1 of 2 workloads",
                "utilization_window, gpu-dev-bot minus the better baseline: mean -0.0500, min -0.1000, max +0.0000");

        bytes.reset();
        Targets.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, List.of(missed));
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines().toList())
                .containsExactly(Targets.HEADER, "second,100,0.600,1000,1000,0.7000,0.8000,0.500,0.500,2,2,mean utilization_window");
    }
}
