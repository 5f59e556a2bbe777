package dev.gpudev.bot.sandbox;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.command.Durations;
import dev.gpudev.scheduler.port.InMemoryVolumes;

/**
 * The sandbox terminal: each line is what a person would type in Slack ({@code /gpu reserve h100 4 2h}) or a
 * button press ({@code b2}); it goes to the bot through the real signed HTTP route, and the fake workspace prints
 * every answer. {@code :as U123} switches the user, {@code :advance 2h} moves the sandbox clock, {@code :platform discord}
 * shows the answers from then on as Discord renders the same messages ({@code :platform slack}: back).
 */
public final class SandboxConsole {
    private final SignedSlackClient slack;
    private final SandboxSlack workspace;
    private final SandboxClock clock;
    private final String responseBase;
    private final PrintStream out;
    private final AtomicInteger responses = new AtomicInteger();
    private final @Nullable SandboxDisks disks;
    private volatile String user = "U0SANDBOX";
    /** Console inputs other parts add (each answers a line it handles, empty otherwise), with their `:help` lines. */
    private final List<Function<String, Optional<String>>> inputs = new CopyOnWriteArrayList<>();
    private final List<String> helps = new CopyOnWriteArrayList<>();

    public SandboxConsole(SignedSlackClient slack, SandboxSlack workspace, SandboxClock clock, String responseBase, PrintStream out) {
        this(slack, workspace, clock, responseBase, out, null);
    }

    /** @param volumes the simulated cluster's disks, which {@code :write} and {@code :ls} reach into; null: none */
    public SandboxConsole(SignedSlackClient slack, SandboxSlack workspace, SandboxClock clock, String responseBase, PrintStream out,
                          @Nullable InMemoryVolumes volumes) {
        this.disks = volumes == null ? null : new SandboxDisks(volumes, out);
        this.slack = slack;
        this.workspace = workspace;
        this.clock = clock;
        this.responseBase = responseBase;
        this.out = out;
    }

    /** Adds console inputs (lines starting with {@code :}); {@code help} is their line in {@code :help}. */
    public void extend(String help, Function<String, Optional<String>> input) {
        helps.add(help);
        inputs.add(input);
    }

    /** Reads commands until the input ends (false) or {@code :quit} (true). Runs on the caller's thread. */
    public boolean run(InputStream in) {
        out.println("""
                gpu-dev-bot sandbox — type what you would type in Slack, e.g. `/gpu reserve h100 4 2h`, `/gpu help`.
                Press a button with b<N>. `:as U123` acts as another user, `:advance 30m` moves time, `:quit` stops.
                `:tz Europe/Berlin` sets your Slack time zone (bookings are read and answered in it; UTC unless set).
                `:platform discord` shows the answers as Discord renders them, `:platform slack` as Slack does. `:help` lists the rest.""");
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!handle(line.strip())) {
                    return true;
                }
            }
        } catch (Exception e) {
            out.println("console stopped: " + e.getMessage());
        }
        return false;
    }

    boolean handle(String line) throws Exception {
        if (line.isEmpty()) {
            return true;
        }
        if (line.equals(":quit") || line.equals(":q")) {
            return false;
        }
        Optional<String> extra = line.startsWith(":") ? inputs.stream().map(i -> i.apply(line)).flatMap(Optional::stream).findFirst()
                : Optional.empty();
        if (extra.isPresent()) {
            out.println(extra.get());
        } else if (line.equals(":help")) {
            out.println("Type a slash command (`/gpu help`), press a button with b<N>; `:as U123` acts as another user, `:advance 30m`"
                    + " moves time, `:platform discord|slack` switches the rendering, `:quit` stops."
                    + "\n`:tz Europe/Berlin` sets your Slack time zone (bookings are read and answered in it; UTC unless set)."
                    + "\n`:write <disk> <path> [text]` writes a file on a disk your server mounts, `:ls <disk>` lists a disk's files."
                    + helps.stream().map(h -> "\n" + h).collect(Collectors.joining()));
        } else if (line.startsWith(":as ")) {
            user = line.substring(4).strip();
            out.println("(you are now " + user + ")");
        } else if (line.equals(":platform discord") || line.equals(":platform slack")) {
            boolean discord = line.endsWith("discord");
            workspace.discord(discord);
            out.println(discord ? "(the console now shows the bot's messages as Discord renders them: its markdown, <@id> mentions, "
                    + "<t:…> times; `:platform slack` switches back)" : "(the console now shows the bot's messages as Slack renders them)");
        } else if (line.startsWith(":tz ")) {
            String zone = line.substring(4).strip();
            try {
                workspace.timeZone(user, ZoneId.of(zone).getId());
                out.println("(" + user + "'s Slack time zone is now " + zone + "; the bot looks it up again within the hour)");
            } catch (DateTimeException e) {
                out.println("(`" + zone + "` is not a time zone; try Europe/Berlin, America/New_York or UTC)");
            }
        } else if (line.startsWith(":advance ")) {
            String given = line.substring(9).strip();
            Durations.parse(given).filter(d -> d.isPositive()).ifPresentOrElse(d -> {
                clock.advance(d);
                out.println("(sandbox time moved " + Durations.format(d) + " forward, now " + clock.instant().truncatedTo(ChronoUnit.SECONDS) + ")");
            }, () -> out.println("(`:advance` takes a duration such as 30m, 2h or 1h30m, not `" + given + "`; time did not move)"));
        } else if (disks != null && SandboxDisks.handles(line)) {
            disks.handle(line, user);
        } else if (line.matches("b\\d+")) {
            press(Integer.parseInt(line.substring(1)));
        } else if (line.startsWith("/")) {
            int space = line.indexOf(' ');
            String command = space < 0 ? line : line.substring(0, space);
            String text = space < 0 ? "" : line.substring(space + 1);
            String channel = "C0SANDBOX-" + responses.incrementAndGet();
            var res = slack.post(SignedSlackClient.commandBody(command, text, user, responseBase + channel));
            ack(res.statusCode(), res.body(), channel);
        } else {
            out.println("(type a slash command such as `/gpu help`, a button such as b1, :platform discord, :help or :quit)");
        }
        return true;
    }

    private void press(int n) throws Exception {
        List<SandboxSlack.Pressable> all = workspace.buttons();
        if (n < 1 || n > all.size()) {
            out.println("(no button b" + n + ")");
            return;
        }
        SandboxSlack.Pressable b = all.get(n - 1);
        out.println("(" + user + " pressed [" + b.label() + "])");
        String channel = "C0SANDBOX-" + responses.incrementAndGet();
        var res = slack.post(SignedSlackClient.actionBody(b.actionId(), b.value(), user, b.channel(), b.ts(), responseBase + channel));
        ack(res.statusCode(), res.body(), channel);
    }

    private void ack(int status, String body, String channel) {
        if (status != 200) {
            out.println("(the bot answered HTTP " + status + ")");
        } else if (body != null && body.startsWith("{")) {
            JsonObject o = JsonParser.parseString(body).getAsJsonObject();
            workspace.printEphemeral(o.has("text") ? o.get("text").getAsString() : "",
                    o.has("blocks") ? o.get("blocks").toString() : null, channel);
        } else if (body != null && !body.isBlank()) {
            workspace.printEphemeral(body, null, channel);
        }
    }
}
