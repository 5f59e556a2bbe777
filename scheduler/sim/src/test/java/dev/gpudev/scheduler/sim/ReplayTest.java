package dev.gpudev.scheduler.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.policy.QueuePolicy;

class ReplayTest {
    final List<Job> jobs = Workload.scaled(Workload.synthetic(42, 400), 32, 0.9);

    @Test
    void theSyntheticWorkloadIsFixedByItsSeedAndScaledToTheLoad() {
        assertThat(Workload.synthetic(42, 400)).isEqualTo(Workload.synthetic(42, 400));
        assertThat(Workload.load(jobs, 32)).isCloseTo(0.9, offset(0.01));
        assertThat(jobs).allSatisfy(j -> {
            assertThat(j.gpus()).isIn(1, 2, 4, 8, 16);
            assertThat(j.requested() % 3600).isZero();
            assertThat(j.requested()).isGreaterThanOrEqualTo(j.run());
        });
    }

    @Test
    void everyPolicyServesEveryJobAndTheTablesHaveTheAgreedColumns() {
        List<Outcome> outcomes = Baseline.ALL.stream().map(p -> Replay.run(p, jobs, 4)).toList();
        for (Outcome o : outcomes) {
            for (Job j : jobs) {
                assertThat(o.start()[j.index()] >= 0 || o.expired()[j.index()]).as(o.policy() + " job " + j.index()).isTrue();
            }
            assertThat(o.utilization()).isBetween(0.0, 1.0);
            assertThat(o.jain()).isBetween(0.0, 1.0);
        }
        PooledBound.Result bound = PooledBound.of(jobs, 32);
        assertThat(bound.utilization()).isGreaterThanOrEqualTo(outcomes.stream().mapToDouble(Outcome::utilization).max().orElseThrow());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SimMain.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, outcomes, bound);
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.getFirst()).isEqualTo("policy,jobs,expired,mean_wait_s,p50_wait_s,p95_wait_s,p99_wait_s,max_wait_s,"
                + "utilization,fragmentation_h,jain,decisions_per_s");
        assertThat(lines.subList(1, 6)).extracting(l -> l.split(",")[0]).containsExactly("gpu-dev", "fifo", "easy", "gpu-dev-bot", "bound");
        assertThat(lines).contains(SimMain.SIZE_HEADER);
        assertThat(lines).filteredOn(l -> l.startsWith("16,")).hasSize(5);
        int drain = lines.indexOf(SimMain.DRAIN_HEADER);
        assertThat(lines.subList(drain + 1, lines.size())).extracting(l -> l.split(",")[0]).containsExactly("gpu-dev", "fifo", "easy", "gpu-dev-bot");
        for (Outcome o : outcomes) {
            Job last = o.lastToEnd();
            assertThat(o.start()[last.index()] + last.run()).as(o.policy()).isEqualTo(o.lastRelease());
        }
    }

    @Test
    void thePooledBoundWaitsNoLongerOnAverageThanAnyPolicy() {
        double bound = Arrays.stream(PooledBound.of(jobs, 32).waits()).average().orElseThrow();
        for (QueuePolicy p : Baseline.ALL) {
            assertThat(Replay.run(p, jobs, 4).waits(j -> true).mean()).as(p.label()).isGreaterThanOrEqualTo(bound);
        }
    }
}
