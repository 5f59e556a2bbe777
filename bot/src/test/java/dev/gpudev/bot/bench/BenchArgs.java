package dev.gpudev.bot.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * The benchmark's arguments.
 *
 * @param seconds measured seconds per target
 * @param rate    requests per second per target, scheduled at fixed times whatever the responses
 * @param warmup  seconds per target at the same rate before measuring, not counted
 * @param users   distinct Slack users the requests cycle through
 * @param order   whether the two targets are loaded one after the other or at the same time
 */
public record BenchArgs(int seconds, int rate, int warmup, int users, Order order) {
    public static final String USAGE = "[--seconds 30] [--rate 200] [--warmup 10] [--users 1000] [--order sequential|interleaved]";

    public enum Order {
        /** bare app warm-up and measurement, then the bot's: neither target's background work runs under the other's */
        SEQUENTIAL,
        /** both targets at the same time, each at the full rate: both see the same machine noise */
        INTERLEAVED
    }

    public BenchArgs {
        if (seconds < 1 || rate < 1 || warmup < 0 || users < 1) {
            throw new IllegalArgumentException("seconds, rate and users must be positive and warmup not negative: " + USAGE);
        }
    }

    /** Requests one target receives, warm-up included. */
    public int requestsPerTarget() {
        return rate * (seconds + warmup);
    }

    /** Accepts the arguments split or as one string, as Maven's exec plugin passes {@code -Dbench.args}. */
    public static BenchArgs parse(String... raw) {
        String[] args = Arrays.stream(raw).flatMap(a -> Arrays.stream(a.strip().split("\\s+"))).filter(a -> !a.isEmpty()).toArray(String[]::new);
        int seconds = 30;
        int rate = 200;
        int warmup = 10;
        int users = 1000;
        Order order = Order.SEQUENTIAL;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value: " + USAGE);
            }
            String value = args[i + 1];
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(value);
                case "--rate" -> rate = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--users" -> users = Integer.parseInt(value);
                case "--order" -> order = Order.valueOf(value.toUpperCase(Locale.ROOT));
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + ": " + USAGE);
            }
        }
        return new BenchArgs(seconds, rate, warmup, users, order);
    }
}
