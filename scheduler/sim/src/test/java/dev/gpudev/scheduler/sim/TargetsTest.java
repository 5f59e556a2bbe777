package dev.gpudev.scheduler.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.policy.QueuePolicy;

class TargetsTest {
    final Targets.Verdict met = new Targets.Verdict("w", 100, 0.5, 1000, 1000, 0.8, 0.8, 0.5, 0.5, 2, 2);

    @Test
    void eachTargetIsMetAtItsBoundAndMissedJustPastIt() {
        assertThat(met.missed()).isEmpty();
        assertThat(new Targets.Verdict("w", 100, 0.51, 1001, 1000, 0.799, 0.8, 0.49, 0.5, 3, 2).missed())
                .containsExactly("mean", "p99", "utilization", "jain", "expired");
        assertThat(new Targets.Verdict("w", 100, 0.2, 900, 1000, 0.7999, 0.8, 0.9, 0.5, 0, 2).missed()).containsExactly("utilization");
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
        assertThat(v.utilBest()).isEqualTo(Math.max(gpuDev.utilization(), easy.utilization()));
        assertThat(v.jainBest()).isEqualTo(Math.max(gpuDev.jain(), easy.jain()));
        assertThat(v).isEqualTo(Targets.judge(List.of(new Targets.Case("w", jobs, 4))).getFirst());
    }

    @Test
    void theTableHasARowPerWorkloadInOrderAndCountsTheTargetsMet() {
        Targets.Verdict missed = new Targets.Verdict("second", 100, 0.6, 1000, 1000, 0.7, 0.8, 0.5, 0.5, 2, 2);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Targets.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, List.of(met, missed));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(0)).startsWith("w ").endsWith("all met");
        assertThat(lines.get(1)).startsWith("second ").endsWith("missed: mean utilization");
        assertThat(lines).contains("mean         met in 1 of 2 workloads", "p99          met in 2 of 2 workloads",
                "utilization, gpu-dev-bot minus the better baseline: mean -0.0500, min -0.1000, max +0.0000");

        bytes.reset();
        Targets.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, List.of(missed));
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines().toList())
                .containsExactly(Targets.HEADER, "second,100,0.600,1000,1000,0.7000,0.8000,0.500,0.500,2,2,mean utilization");
    }
}
