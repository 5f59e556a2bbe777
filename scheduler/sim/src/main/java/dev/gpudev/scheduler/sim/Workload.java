package dev.gpudev.scheduler.sim;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import dev.gpudev.scheduler.model.UserId;

/**
 * Workloads for the replay, read the way {@code shared/traces/README.md} states: 1/2/4/8 GPUs on one node, 16 as a
 * gang of two whole nodes, other shapes and jobs of zero length or longer than 48 h dropped; requested duration =
 * run time rounded up to whole hours; arrivals stretched or compressed to an offered load.
 */
final class Workload {
    static final long MAX_RUN = 48 * 3600;
    private static final Set<Integer> SIZES = Set.of(1, 2, 4, 8, 16);

    private Workload() {
    }

    static final String FORMAT = "a header line, then u_id,user,gpu_num,cpu_num,node_num,interval,run_time,... per job "
            + "(interval: seconds since the previous submission, run_time: seconds; see shared/traces/README.md)";
    /** Ten years of arrivals: far beyond any trace, and every submission time stays a valid {@code Instant} offset. */
    static final long MAX_SPAN = 10L * 366 * 86_400;

    /** Reads a trace CSV: {@code u_id,user,gpu_num,cpu_num,node_num,interval,run_time,wall_time,new_status}. */
    static List<Job> read(Path csv) throws IOException {
        try {
            return read(csv.getFileName().toString(), Files.readAllLines(csv));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(csv.getFileName() + " is not UTF-8 text; a trace is " + FORMAT, e);
        }
    }

    /** @throws IllegalArgumentException naming the line and what it should hold, or when no job is usable */
    static List<Job> read(String name, List<String> lines) {
        List<Job> jobs = new ArrayList<>();
        long submit = 0;
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length < 7) {
                throw bad(name, i, "has " + f.length + " fields, not at least 7");
            }
            long interval = number(name, i, "interval", f[5]);
            long run = number(name, i, "run_time", f[6]);
            long gpus = number(name, i, "gpu_num", f[2]);
            if (interval < 0 || interval > MAX_SPAN - submit) {
                throw bad(name, i, "interval " + interval + " is negative or takes the trace past " + MAX_SPAN + " s");
            }
            String user = f[1].strip();
            try {
                new UserId(user);
            } catch (IllegalArgumentException e) {
                throw bad(name, i, "user `" + user + "` is not an id (1 to 64 printable ASCII characters, no spaces)");
            }
            submit += interval;
            job(jobs.size(), user, (int) Math.clamp(gpus, -1, Integer.MAX_VALUE), submit, run, jobs);
        }
        if (jobs.isEmpty()) {
            throw new IllegalArgumentException(name + " has no job of 1, 2, 4, 8 or 16 GPUs that ran for 1 s to 48 h; a trace is " + FORMAT);
        }
        return jobs;
    }

    private static long number(String name, int line, String field, String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw bad(name, line, field + " `" + text + "` is not a whole number");
        }
    }

    private static IllegalArgumentException bad(String name, int line, String problem) {
        return new IllegalArgumentException(name + " line " + (line + 1) + ": " + problem + "; a trace is " + FORMAT);
    }

    /**
     * A synthetic workload from a fixed seed, so the replay works on any clone: bursty arrivals, a few heavy users,
     * mostly single-GPU jobs, log-normal run times from minutes to two days.
     */
    static List<Job> synthetic(long seed, int count) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Job> jobs = new ArrayList<>();
        long submit = 0;
        int users = 80;
        while (jobs.size() < count) {
            submit += (long) (-Math.log(1 - random.nextDouble()) * 600);
            int user = (int) Math.floor(users * Math.pow(random.nextDouble(), 2.5));
            int burst = random.nextDouble() < 0.2 ? 1 + random.nextInt(12) : 1;
            double p = random.nextDouble();
            int gpus = p < 0.65 ? 1 : p < 0.77 ? 2 : p < 0.86 ? 4 : p < 0.96 ? 8 : 16;
            double median = gpus >= 8 ? 3 * 3600 : 3600;
            for (int i = 0; i < burst && jobs.size() < count; i++) {
                long run = (long) Math.max(60, median * Math.exp(1.6 * gaussian(random)));
                job(jobs.size(), "s" + user, gpus, submit, run, jobs);
            }
        }
        return jobs;
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private static void job(int index, String user, int gpus, long submit, long run, List<Job> into) {
        if (!SIZES.contains(gpus) || run <= 0 || run > MAX_RUN) {
            return;
        }
        long requested = Math.min(MAX_RUN, (run + 3599) / 3600 * 3600);
        into.add(new Job(into.size(), user, gpus, submit, run, requested));
    }

    /** Offered load: GPU-seconds asked for over GPU-seconds offered during the arrival span. */
    static double load(List<Job> jobs, int gpus) {
        double work = jobs.stream().mapToDouble(j -> (double) j.gpus() * j.run()).sum();
        long span = jobs.getLast().submit() - jobs.getFirst().submit();
        return work / ((double) gpus * Math.max(1, span));
    }

    /** Stretches or compresses arrivals so the offered load on {@code gpus} GPUs is {@code rho}. */
    static List<Job> scaled(List<Job> jobs, int gpus, double rho) {
        double factor = load(jobs, gpus) / rho;
        long first = jobs.getFirst().submit();
        return jobs.stream().map(j -> j.at(Math.round((j.submit() - first) * factor))).toList();
    }
}
