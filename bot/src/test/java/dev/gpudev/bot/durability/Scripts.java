package dev.gpudev.bot.durability;

import static dev.gpudev.bot.durability.World.after;
import static dev.gpudev.bot.durability.World.cancel;
import static dev.gpudev.bot.durability.World.extend;
import static dev.gpudev.bot.durability.World.pause;
import static dev.gpudev.bot.durability.World.reserve;
import static dev.gpudev.bot.durability.World.settleStep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Scripts of what users, the cluster and time do; the crash test kills the bot somewhere in one. */
final class Scripts {
    private Scripts() {
    }

    /** Every kind of step at least once, in an order a person can follow. */
    static List<World.Step> fixed() {
        return flat(
                reserve("U01", 8, Duration.ofHours(2), "r1"),
                pause(),
                reserve("U02", 4, Duration.ofHours(1), "r2"),
                pause(),
                reserve("U03", 8, Duration.ofHours(1), "r3"),
                pause(),
                reserve("U04", 4, Duration.ofMinutes(30), "r4"),
                settleStep(),
                reserve("U02", 4, Duration.ofHours(1), "r2"),
                after(Duration.ofMinutes(35)),
                cancel("U01", "r1", "c1"),
                settleStep(),
                extend("U03", "r3", Duration.ofMinutes(30), "e1"),
                extend("U03", "r3", Duration.ofMinutes(30), "e1"),
                after(Duration.ofMinutes(12)),
                after(Duration.ofMinutes(10)),
                after(Duration.ofMinutes(10)),
                reserve("U05", 16, Duration.ofHours(1), "r5"),
                cancel("U03", "r3", "c2"),
                settleStep(),
                extend("U05", "r5", Duration.ofHours(1), "e2"),
                pause(),
                reserve("U06", 2, Duration.ofHours(1), "r6"),
                after(Duration.ofHours(2)),
                settleStep(),
                after(Duration.ofHours(1)),
                settleStep(),
                after(Duration.ZERO),
                settleStep());
    }

    /**
     * {@code length} random steps from four users: requests of 1 to 16 GPUs, cancels and extensions (of any earlier
     * request, ended or not), redelivered requests, servers getting ready, and time passing; then time runs out until
     * every request has been served.
     */
    static List<World.Step> random(long seed, int length) {
        Random random = new Random(seed);
        List<Object> steps = new ArrayList<>();
        List<String> requests = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        int[] counts = {1, 2, 4, 8, 16};
        int[] minutes = {20, 45, 90};
        for (int i = 0; i < length; i++) {
            int pick = random.nextInt(10);
            if (pick < 3 || requests.isEmpty()) {
                String key = "r" + i;
                String user = "U0" + random.nextInt(4);
                requests.add(key);
                owners.add(user);
                steps.add(reserve(user, counts[random.nextInt(counts.length)], Duration.ofMinutes(minutes[random.nextInt(minutes.length)]), key));
                steps.add(pause());
            } else {
                int which = random.nextInt(requests.size());
                String key = requests.get(which);
                String owner = owners.get(which);
                steps.add(switch (pick) {
                    case 3 -> cancel(owner, key, "c" + i);
                    case 4 -> extend(owner, key, Duration.ofMinutes(30), "e" + i);
                    case 5 -> reserve(owner, 1, Duration.ofMinutes(20), key);
                    case 6, 7 -> settleStep();
                    default -> after(Duration.ofMinutes(1 + random.nextInt(25)));
                });
            }
        }
        for (int round = 0; round < 8; round++) {
            steps.add(settleStep());
            steps.add(after(Duration.ofHours(5)));
        }
        steps.add(settleStep());
        return flat(steps.toArray());
    }

    private static List<World.Step> flat(Object... steps) {
        List<World.Step> all = new ArrayList<>();
        for (Object s : steps) {
            if (s instanceof World.Step step) {
                all.add(step);
            } else {
                ((List<?>) s).forEach(x -> all.add((World.Step) x));
            }
        }
        return List.copyOf(all);
    }
}
