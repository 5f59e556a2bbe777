package dev.gpudev.bot;

import java.io.PrintStream;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import com.slack.api.bolt.socket_mode.SocketModeApp;
import io.helidon.config.Config;
import org.jspecify.annotations.Nullable;

import dev.gpudev.bot.config.BotConfig;
import dev.gpudev.bot.config.BotSettings;
import dev.gpudev.bot.config.IdleSettings;
import dev.gpudev.bot.config.Mode;
import dev.gpudev.bot.config.TeamSettings;
import dev.gpudev.bot.config.UsageSettings;
import dev.gpudev.bot.conversation.Conversation;
import dev.gpudev.bot.conversation.NotifyViews;
import dev.gpudev.bot.conversation.Outbox;
import dev.gpudev.bot.conversation.ReservationViews;
import dev.gpudev.bot.conversation.StatusViews;
import dev.gpudev.bot.conversation.UsageViews;
import dev.gpudev.bot.conversation.Survival;
import dev.gpudev.bot.discord.DiscordFrontEnd;
import dev.gpudev.bot.discord.DiscordSettings;
import dev.gpudev.bot.discord.DiscordUsers;
import dev.gpudev.bot.observe.BookingMetrics;
import dev.gpudev.bot.observe.Observability;
import dev.gpudev.bot.runtime.AfterAck;
import dev.gpudev.bot.runtime.ClusterRuntime;
import dev.gpudev.bot.runtime.NotifyRunner;
import dev.gpudev.bot.runtime.ServerWall;
import dev.gpudev.bot.runtime.Shutdown;
import dev.gpudev.bot.runtime.Threads;
import dev.gpudev.bot.runtime.Ticker;
import dev.gpudev.bot.runtime.WeeklyUsage;
import dev.gpudev.bot.sandbox.SandboxClock;
import dev.gpudev.bot.sandbox.SandboxConsole;
import dev.gpudev.bot.sandbox.SandboxSlack;
import dev.gpudev.bot.sandbox.SignedSlackClient;
import dev.gpudev.bot.sandbox.SimulatedCluster;
import dev.gpudev.bot.slack.BoltBridge;
import dev.gpudev.bot.slack.QueueChannel;
import dev.gpudev.bot.slack.SlackFiles;
import dev.gpudev.bot.slack.SlackBot;
import dev.gpudev.bot.wiring.HttpFront;
import dev.gpudev.bot.wiring.NotifyWiring;
import dev.gpudev.bot.wiring.SimulatedGpus;
import dev.gpudev.bot.wiring.SlackWiring;
import dev.gpudev.bot.wiring.Wiring;
import dev.gpudev.scheduler.app.Idle;
import dev.gpudev.scheduler.app.Notifications;
import dev.gpudev.scheduler.app.Disks;
import dev.gpudev.scheduler.app.Reservations;
import dev.gpudev.scheduler.engine.Engine;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.policy.BookingLimits;
import dev.gpudev.scheduler.policy.RequestValidator;
import dev.gpudev.scheduler.port.GpuTelemetry;
import dev.gpudev.scheduler.port.InMemoryVolumes;
import dev.gpudev.scheduler.port.Notifier;
import dev.gpudev.scheduler.port.ReservationStore;
import dev.gpudev.scheduler.service.IdleChecks;
import dev.gpudev.scheduler.service.ReservationService;
import dev.gpudev.scheduler.usage.UsageReports;

/**
 * A running bot: web server, Slack app, service, ticker. In sandbox mode (see {@link Mode}) the Slack workspace is
 * simulated inside the same server and printed on the console.
 */
public final class Bot implements AutoCloseable {
    public static final String SANDBOX_USER = "U0SANDBOX";
    private static final System.Logger LOG = System.getLogger(Bot.class.getName());

    private final HttpFront http;
    private final ReservationService service;
    private final String signingSecret;
    private final Optional<SandboxConsole> console;
    private final AtomicBoolean serving;
    private final Shutdown shutdown;
    private final Optional<SimulatedGpus> gpus;

    private Bot(HttpFront http, ReservationService service, String signingSecret, Optional<SandboxConsole> console,
                AtomicBoolean serving, Shutdown shutdown, Optional<SimulatedGpus> gpus) {
        this.http = http;
        this.service = service;
        this.signingSecret = signingSecret;
        this.console = console;
        this.serving = serving;
        this.shutdown = shutdown;
        this.gpus = gpus;
    }

    /**
     * @param env   the environment (Slack secrets); tests pass their own
     * @param clock the time source; in sandbox mode it is sped up by {@code sandbox.time-scale}
     */
    public static Bot start(Config config, Map<String, String> env, Clock clock, PrintStream out) throws Exception {
        Mode mode = Mode.resolve(config, env);
        if (mode instanceof Mode.Refused refused) {
            throw new IllegalStateException("gpu-dev-bot does not start: " + refused.reason());
        }
        boolean sandbox = mode instanceof Mode.Sandbox;
        BotSettings settings = BotSettings.create(config);
        double scale = sandbox ? settings.sandbox().timeScale() : 1.0;
        Clock time = sandbox ? new SandboxClock(clock, scale) : clock;
        String secret = SlackWiring.signingSecret(env);
        SandboxSlack workspace = sandbox ? new SandboxSlack(out, settings.sandbox().filesDir()) : null;
        HttpFront http = HttpFront.start(settings.server(), settings.slack().path(), workspace);

        Survival survival = Wiring.survival(settings, config.get("cluster.kubernetes"));
        SlackWiring slack = SlackWiring.create(settings.slack(), sandbox ? SlackWiring.SANDBOX_BOT_TOKEN : env.getOrDefault(Mode.BOT_TOKEN, ""),
                secret, sandbox ? Optional.of(http.local() + SandboxSlack.PATH + "/api/") : settings.slack().apiUrl(), survival);
        ScheduledExecutorService scheduler = Threads.scheduled("cluster", 2);
        AfterAck work = new AfterAck(settings.slack().afterAck());
        // Provisioning, releases and notices: off the request, ticker and informer threads, two at a time.
        ExecutorService effects = Threads.fixed("effects", 2);
        ReservationStore store = Wiring.store(settings.storeKind(), config.get("store.dynamodb"));
        Wiring.Accounts accounts = Wiring.identity(config, env, sandbox, store, scheduler);
        ClusterRuntime cluster = Wiring.cluster(settings, config.get("cluster.kubernetes"), env, scale, scheduler, out, time);
        // Set once Discord is logged in, before anything is scheduled; a notice goes to its owner's platform.
        AtomicReference<Optional<DiscordFrontEnd>> discord = new AtomicReference<>(Optional.empty());
        Notifier chat = notice -> discord.get().filter(d -> DiscordUsers.isDiscord(notice.reservation().owner()))
                .map(DiscordFrontEnd::notifier).orElse(slack.notifier()).notify(notice);
        ReservationService service = reservations(settings, BotConfig.bookings(config), cluster, store, accounts, BookingMetrics.counting(ServerWall.alongside(chat, cluster.cluster(), survival)), time, effects);
        Reservations reservations = new Reservations(service);
        slack.notifier().listen(service);
        Outbox slackOutbox = SlackBot.outbox(slack.web());
        Outbox outbox = (to, message) -> (DiscordUsers.isDiscord(to) ? discord.get().orElseThrow().outbox() : slackOutbox).send(to, message);
        IdleSettings idleSettings = IdleSettings.create(config, sandbox);
        Optional<SimulatedGpus> gpus = idleSettings.source() == IdleSettings.Source.SIMULATED
                ? Optional.of(new SimulatedGpus(service::state, store::find, time)) : Optional.empty();
        GpuTelemetry telemetry = Wiring.telemetry(idleSettings, config.get("telemetry"), gpus, time);
        IdleChecks idle = new IdleChecks(service, telemetry, idleSettings.policy(), store, idleSettings::teamsOf);
        Notifications notifications = NotifyWiring.notifications(config, settings.storeKind(), service);
        NotifyRunner notify = new NotifyRunner(notifications, outbox, reservations);
        UsageReports usageReports = new UsageReports(store, () -> service.state().live().values(), time, telemetry,
                TeamSettings.of(config.get("teams")));
        Conversation conversation = new Conversation(reservations, accounts.linking(), outbox, SlackBot.timeZones(slack.web()),
                new NotifyViews(reservations, notifications), new UsageViews(usageReports, reservations), Idle.of(service, idle),
                new Disks(cluster.cluster().storage(), accounts.identity()));
        WeeklyUsage.Settings weekly = UsageSettings.weekly(config.get("usage.weekly"));
        new SlackBot(conversation, admins(settings, sandbox), work).register(slack.app(), settings.slack().command());
        AtomicBoolean serving = new AtomicBoolean();
        if (mode instanceof Mode.Production p && p.slack().isEmpty()) {
            http.refuseSlack("Slack is not configured on this bot (Discord only)");
        } else {
            slack.app().initialize();
            http.serveSlack(new BoltBridge(slack.app()), () -> serving.get() && cluster.leadership().leading());
        }
        if (mode instanceof Mode.Production p && p.discord()) {
            DiscordFrontEnd d = DiscordFrontEnd.start(DiscordSettings.of(config.get("discord"), env), settings.catalog(), conversation,
                    n -> ReservationViews.of(n, survival), () -> StatusViews.queueStatus(reservations.board()), work, scheduler);
            d.listen(service);
            discord.set(Optional.of(d));
        }

        awaitSync(cluster, settings.cluster().syncTimeout());
        Ticker ticker = new Ticker(service, time, scale, settings.runtime().maxTick());
        Optional<SocketModeApp> socket = slack.socketMode(mode, env);
        Shutdown shutdown = new Shutdown();
        // Losing the lease or a write refused for a newer term (another replica leads): halt, and rejoin as a follower.
        service.onFenced(() -> stepDown(shutdown, http, "a newer leader's term refused a write"));
        cluster.leadership().start(() -> {
            lead(settings, service, reservations, cluster, store, scheduler, ticker, slack);
            notify.start();
            settings.slack().queueChannel().ifPresent(channel -> new WeeklyUsage(usageReports, key -> reservations.claim(key, "").isEmpty(), time,
                    weekly, summary -> SlackFiles.post(slack.web(), channel, summary)).start(scheduler));
            Wiring.pollIdle(idle, idleSettings, scale, settings.runtime().maxTick(), scheduler);
            socket.ifPresent(Bot::startSocketMode);
            discord.get().ifPresent(d -> {
                reservations.onChange(d::statusChanged);
                d.serve();
            });
            serving.set(true);
            LOG.log(System.Logger.Level.INFO, "leading: scheduling from now on");
        }, () -> stepDown(shutdown, http, "lost the leadership"));
        // Followers too: Slack reaches only the leader (the chart's Service selects the label it puts on its pod) and a
        // follower's Slack route answers 503.
        http.ready(true);

        // What produces work stops first (Slack input, the timer, leadership, the cluster), the notifier last.
        socket.ifPresent(s -> shutdown.then("Socket Mode", s::close));
        discord.get().ifPresent(d -> shutdown.then("Discord", d::close));
        // What was acknowledged and what was committed finish while this replica still leads and the cluster client is
        // open (a provisioning run on a closed client would fail the reservation); then the leadership and the cluster.
        shutdown.then("the web server", http).then("the ticker", ticker).then("notify", notify).then("the work after acks", work)
                .then("the effects", () -> Threads.drain(effects, "the effects", Threads.GRACE))
                .then("the leadership", cluster.leadership()).then("the cluster", cluster.closer())
                .then("the cluster executor", scheduler::shutdownNow).then("the notifier", slack.notifier());
        Optional<SandboxConsole> console = sandbox ? Optional.of(sandbox(settings, (Mode.Sandbox) mode, env, http, workspace, time, secret, reservations, out,
                cluster.cluster() instanceof SimulatedCluster s ? s.volumes().orElse(null) : null))
                : Optional.empty();
        console.ifPresent(c -> gpus.ifPresent(g -> c.extend(SimulatedGpus.HELP, g::console)));
        if (!sandbox) {
            LOG.log(System.Logger.Level.INFO, "gpu-dev-bot listening on port " + http.port());
        }
        return new Bot(http, service, secret, console, serving, shutdown, gpus);
    }

    /** The scheduler's service over the ports; the one place that builds it. */
    private static ReservationService reservations(BotSettings settings, BookingLimits bookings, ClusterRuntime cluster, ReservationStore store,
                                                   Wiring.Accounts accounts, Notifier notifier, Clock time, ExecutorService effects) {
        return new ReservationService(new Engine(settings.catalog(), settings.limits(), bookings),
                new RequestValidator(settings.catalog(), settings.limits(), cluster.cluster().offersJupyter(), cluster.cluster().images()),
                store, cluster.cluster(), accounts.identity(), notifier, time, new SecureRandom(), effects);
    }

    /** In the sandbox its one user is the admin, whatever {@code slack.admins} says. */
    private static Set<UserId> admins(BotSettings settings, boolean sandbox) {
        return sandbox ? Set.of(new UserId(SANDBOX_USER)) : settings.slack().admins().stream().map(UserId::new).collect(Collectors.toSet());
    }

    /** What only the leader runs, once it leads. */
    private static void lead(BotSettings settings, ReservationService service, Reservations reservations, ClusterRuntime cluster, ReservationStore store,
                             ScheduledExecutorService scheduler, Ticker ticker, SlackWiring slack) {
        service.start();
        // An API failing over with us must not keep the ticker from starting: the periodic reconcile catches up.
        reconcile(cluster, store, () -> { });
        long every = settings.cluster().reconcileInterval().toMillis();
        scheduler.scheduleWithFixedDelay(() -> reconcile(cluster, store, service::reload), every, every, TimeUnit.MILLISECONDS);
        ticker.start();
        Observability.registerGauges(service, settings.catalog());
        settings.slack().queueChannel().ifPresent(channel ->
                new QueueChannel(slack.web(), channel, reservations, settings.slack().statusMinInterval(), scheduler).start());
    }

    private static void startSocketMode(SocketModeApp socket) {
        try {
            socket.startAsync();
        } catch (Exception e) {
            throw new IllegalStateException("Socket Mode did not start: " + e.getMessage(), e);
        }
    }

    private static SandboxConsole sandbox(BotSettings settings, Mode.Sandbox mode, Map<String, String> env, HttpFront http,
                                          SandboxSlack workspace, Clock time, String secret, Reservations reservations, PrintStream out,
                                          @Nullable InMemoryVolumes volumes) {
        out.printf("""
                gpu-dev-bot is running in SANDBOX mode on %s (%s): %s store, simulated cluster
                (%s), time x%s. Slack requests to %s are verified with the signing secret %s
                Health: %s/observe/health  Metrics: %s/observe/metrics
                """, http.local(), mode.why(), "memory".equals(settings.storeKind()) ? "in-memory" : settings.storeKind(),
                reservations.board().types().stream().flatMap(t -> t.nodes().stream().map(n -> n.name() + " " + n.total() + "x" + t.name()))
                        .collect(Collectors.joining(", ")), settings.sandbox().timeScale(), http.slackUrl(),
                env.getOrDefault(Mode.SIGNING_SECRET, "").isBlank() ? secret : "from SLACK_SIGNING_SECRET", http.local(), http.local());
        return new SandboxConsole(new SignedSlackClient(URI.create(http.slackUrl()), secret, Clock.systemUTC()),
                workspace, (SandboxClock) time, http.local() + SandboxSlack.PATH + "/response/", out, volumes);
    }

    /** The informers' first sync, so the scheduler never starts from an empty cluster; readiness waits for it too. */
    private static void awaitSync(ClusterRuntime cluster, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!cluster.synced().getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        if (!cluster.synced().getAsBoolean()) {
            throw new IllegalStateException("the cluster view did not sync within " + timeout + "; check the API server and RBAC");
        }
    }

    private static void stepDown(Shutdown shutdown, HttpFront http, String why) {
        if (shutdown.closed()) {
            return;
        }
        http.ready(false);
        LOG.log(System.Logger.Level.ERROR, why + "; stopping so that a restart rejoins as a follower");
        Runtime.getRuntime().halt(3);
    }

    /** {@code reload} first: reading the store again adopts what a replica being fenced stored, or an index read missed. */
    private static void reconcile(ClusterRuntime cluster, ReservationStore store, Runnable reload) {
        try {
            reload.run();
            cluster.reconcile().accept(store.live());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "reconcile failed, will try again: " + e.getMessage());
        }
    }

    public int port() {
        return http.port();
    }

    public URI slackEndpoint() {
        return URI.create(http.slackUrl());
    }

    public ReservationService service() {
        return service;
    }

    public String signingSecret() {
        return signingSecret;
    }

    /** Leading, with the service started: Slack's requests are answered (a follower's get 503). */
    public boolean serving() {
        return serving.get();
    }

    public Optional<SandboxConsole> console() {
        return console;
    }

    /** The simulated GPU telemetry, with {@code telemetry.source} simulated (the sandbox's default). */
    public Optional<SimulatedGpus> simulatedGpus() {
        return gpus;
    }

    @Override
    public void close() {
        shutdown.close();
    }
}
