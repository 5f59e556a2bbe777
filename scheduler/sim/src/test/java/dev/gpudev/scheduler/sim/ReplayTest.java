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
                + "utilization,utilization_window,fragmentation_h,jain,decisions_per_s");
        assertThat(lines.subList(1, 6)).extracting(l -> l.split(",")[0]).containsExactly("gpu-dev", "fifo", "easy", "gpu-dev-bot", "bound");
        assertThat(lines).contains(SimMain.SIZE_HEADER);
        assertThat(lines).filteredOn(l -> l.startsWith("16,")).hasSize(5);
        int eta = lines.indexOf(SimMain.ETA_HEADER);
        assertThat(lines.subList(eta + 1, eta + 5)).extracting(l -> l.split(",")[0]).containsExactly("gpu-dev", "fifo", "easy", "gpu-dev-bot");
        int drain = lines.indexOf(SimMain.DRAIN_HEADER);
        assertThat(lines.subList(drain + 1, lines.size())).extracting(l -> l.split(",")[0]).containsExactly("gpu-dev", "fifo", "easy", "gpu-dev-bot");
        for (Outcome o : outcomes) {
            Job last = o.lastToEnd();
            assertThat(o.start()[last.index()] + last.run()).as(o.policy()).isEqualTo(o.lastRelease());
        }
    }

    /**
     * Two nodes. At 0: A (8 GPUs, 1 h) and D (4 GPUs, 3 h); at 0:30 B (8 GPUs, 1 h) waits for A's node; at 2:00 the last
     * submission, C (2 GPUs, 10 min), starts on D's node. The window is 0:00-2:00, 16 GPUs x 7,200 s = 115,200 GPU-s.
     * easy and gpu-dev-bot start B when A ends: A 8 x 3,600 + D 4 x 7,200 + B 8 x 3,600 + C 0 = 86,400, so 0.75;
     * gpu-dev starts B on its next 60 s scan, at 1:01: B 8 x 3,540, so 85,920 / 115,200. Whole run (utilization):
     * 28,800 + 43,200 + 28,800 + 1,200 = 102,000 over 16 x 10,800 (D ends last, at 3:00).
     */
    @Test
    void theWindowUtilizationCountsTheWorkBetweenTheFirstAndTheLastSubmissionOnly() {
        List<Job> hand = List.of(new Job(0, "a", 8, 0, 3600, 3600), new Job(1, "d", 4, 0, 10800, 10800),
                new Job(2, "b", 8, 1800, 3600, 3600), new Job(3, "c", 2, 7200, 600, 3600));
        for (QueuePolicy p : List.of(Baseline.EASY, QueuePolicy.GPU_DEV_BOT)) {
            Outcome o = Replay.run(p, hand, 2);
            assertThat(o.start()).as(p.label()).containsExactly(0, 0, 3600, 7200);
            assertThat(o.utilizationWindow()).as(p.label()).isEqualTo(0.75);
            assertThat(o.utilization()).as(p.label()).isCloseTo(102_000.0 / 172_800, offset(1e-12));
        }
        Outcome gpuDev = Replay.run(Baseline.GPU_DEV, hand, 2);
        assertThat(gpuDev.start()).containsExactly(0, 0, 3660, 7200);
        assertThat(gpuDev.utilizationWindow()).isCloseTo(85_920.0 / 115_200, offset(1e-12));
    }

    /**
     * One node. A (8 GPUs, 1 h) starts at 0. B (8 GPUs, runs 30 min of 1 h) queues at 0:10 and is told 1:00, A's end;
     * C (8 GPUs, 10 min of 1 h) queues at 0:20 and is told 2:00, after B's promised hour. B ends early, so C starts
     * at 1:30: errors 0 and 1,800 s, one of two within 15 minutes. gpu-dev promises nothing: both are told 1:00; its
     * scans start B at 1:01 and C at 1:32 (B ended at 1:31): errors 60 and 1,920 s.
     */
    @Test
    void theEtaErrorIsTheDistanceBetweenTheEtaToldAtSubmissionAndTheStart() {
        List<Job> hand = List.of(new Job(0, "a", 8, 0, 3600, 3600), new Job(1, "b", 8, 600, 1800, 3600),
                new Job(2, "c", 8, 1200, 600, 3600));
        for (QueuePolicy p : List.of(Baseline.EASY, QueuePolicy.GPU_DEV_BOT)) {
            Outcome o = Replay.run(p, hand, 1);
            assertThat(o.eta()).as(p.label()).containsExactly(Outcome.NO_ETA, 3600, 7200);
            assertThat(o.start()).as(p.label()).containsExactly(0, 3600, 5400);
            assertThat(o.etaQuality()).as(p.label()).isEqualTo(new Outcome.EtaQuality(2, 2, 0, 1800, 0.5));
        }
        Outcome gpuDev = Replay.run(Baseline.GPU_DEV, hand, 1);
        assertThat(gpuDev.eta()).containsExactly(Outcome.NO_ETA, 3600, 3600);
        assertThat(gpuDev.etaQuality()).isEqualTo(new Outcome.EtaQuality(2, 2, 60, 1920, 0.5));
    }

    /** X1 and X2 take the node for 48 h each; Y (as long, so behind X2), told 96:00, expires at 48:00:20: it counts as late, with no error of its own. */
    @Test
    void aRequestThatExpiresCountsAsNotOnTime() {
        long twoDays = Workload.MAX_RUN;
        List<Job> hand = List.of(new Job(0, "x1", 8, 0, twoDays, twoDays), new Job(1, "x2", 8, 10, twoDays, twoDays),
                new Job(2, "y", 8, 20, 600, twoDays));
        Outcome o = Replay.run(QueuePolicy.GPU_DEV_BOT, hand, 1);
        assertThat(o.expired()).containsExactly(false, false, true);
        assertThat(o.eta()).containsExactly(Outcome.NO_ETA, twoDays, 2 * twoDays);
        assertThat(o.etaQuality()).isEqualTo(new Outcome.EtaQuality(2, 1, 0, 0, 0.5));
    }

    @Test
    void thePooledBoundWaitsNoLongerOnAverageThanAnyPolicy() {
        double bound = Arrays.stream(PooledBound.of(jobs, 32).waits()).average().orElseThrow();
        for (QueuePolicy p : Baseline.ALL) {
            assertThat(Replay.run(p, jobs, 4).waits(j -> true).mean()).as(p.label()).isGreaterThanOrEqualTo(bound);
        }
    }
}
