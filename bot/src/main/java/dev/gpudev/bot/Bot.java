package dev.gpudev.bot;

import java.io.PrintStream;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.socket_mode.SocketModeApp;
import io.helidon.config.Config;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.Handler;

import dev.gpudev.bot.config.BotConfig;
import dev.gpudev.bot.config.Mode;
import dev.gpudev.bot.conversation.Outbox;
import dev.gpudev.bot.conversation.ReservationViews;
import dev.gpudev.bot.conversation.StatusViews;
import dev.gpudev.bot.discord.DiscordFrontEnd;
import dev.gpudev.bot.discord.DiscordSettings;
import dev.gpudev.bot.discord.DiscordUsers;
import dev.gpudev.bot.observe.Observability;
import dev.gpudev.bot.runtime.ClusterRuntime;
import dev.gpudev.bot.runtime.Ticker;
import dev.gpudev.bot.sandbox.SandboxClock;
import dev.gpudev.bot.sandbox.SandboxConsole;
import dev.gpudev.bot.sandbox.SandboxSlack;
import dev.gpudev.bot.sandbox.SignedSlackClient;
import dev.gpudev.bot.conversation.Conversation;
import dev.gpudev.bot.conversation.TerminalViews;
import dev.gpudev.bot.runtime.AfterAck;
import dev.gpudev.bot.slack.BoltBridge;
import dev.gpudev.bot.slack.QueueChannel;
import dev.gpudev.bot.slack.SlackBot;
import dev.gpudev.bot.slack.SlackNotifier;
import dev.gpudev.bot.slack.SlackWebClient;
import dev.gpudev.bot.wiring.Wiring;
import dev.gpudev.scheduler.app.Reservations;
import dev.gpudev.scheduler.delivery.Echoes;
import dev.gpudev.scheduler.engine.Engine;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.policy.Limits;
import dev.gpudev.scheduler.policy.RequestValidator;
import dev.gpudev.scheduler.port.Notifier;
import dev.gpudev.scheduler.port.ReservationStore;
import dev.gpudev.scheduler.service.ReservationService;

/**
 * A running bot: web server, Slack app, service, ticker. In sandbox mode (see {@link Mode}) the Slack workspace is
 * simulated inside the same server and printed on the console.
 */
public final class Bot implements AutoCloseable {
    public static final String SANDBOX_USER = "U0SANDBOX";
    private static final System.Logger LOG = System.getLogger(Bot.class.getName());

    private final WebServer server;
    private final ReservationService service;
    private final String signingSecret;
    private final String slackPath;
    private final Ticker ticker;
    private final SlackNotifier notifier;
    private final ClusterRuntime cluster;
    private final ScheduledExecutorService scheduler;
    private final AfterAck work;
    private final ExecutorService effects;
    private final Optional<SandboxConsole> console;
    private final Optional<SocketModeApp> socketMode;
    private final AtomicBoolean closed;
    private final AtomicBoolean serving;
    private final Optional<DiscordFrontEnd> discord;

    private Bot(WebServer server, ReservationService service, String signingSecret, String slackPath, Ticker ticker,
                SlackNotifier notifier, ClusterRuntime cluster, ScheduledExecutorService scheduler, AfterAck work,
                ExecutorService effects, Optional<SandboxConsole> console, Optional<SocketModeApp> socketMode, AtomicBoolean closed,
                AtomicBoolean serving, Optional<DiscordFrontEnd> discord) {
        this.server = server;
        this.service = service;
        this.signingSecret = signingSecret;
        this.slackPath = slackPath;
        this.ticker = ticker;
        this.notifier = notifier;
        this.cluster = cluster;
        this.scheduler = scheduler;
        this.work = work;
        this.effects = effects;
        this.console = console;
        this.socketMode = socketMode;
        this.closed = closed;
        this.serving = serving;
        this.discord = discord;
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
        String token = env.getOrDefault(Mode.BOT_TOKEN, "");
        GpuCatalog catalog = BotConfig.catalog(config);
        Limits limits = BotConfig.limits(config);
        double scale = sandbox ? config.get("sandbox.time-scale").asDouble().orElse(1.0) : 1.0;
        Clock time = sandbox ? new SandboxClock(clock, scale) : clock;
        String secret = env.getOrDefault(Mode.SIGNING_SECRET, "");
        if (secret.isBlank()) {
            // The sandbox prints it; in Socket Mode nobody knows it, so the HTTP route refuses every request.
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            secret = HexFormat.of().formatHex(random);
        }
        String slackPath = config.get("slack.path").asString().orElse("/slack/events");

        AtomicReference<Handler> slackRoute = new AtomicReference<>((req, res) -> res.status(Status.SERVICE_UNAVAILABLE_503).send("starting"));
        AtomicBoolean ready = new AtomicBoolean();
        SandboxSlack workspace = new SandboxSlack(out);
        WebServer server = WebServer.builder()
                .host(config.get("server.host").asString().orElse("0.0.0.0"))
                .port(config.get("server.port").asInt().orElse(8080))
                .maxPayloadSize(BotConfig.maxPayloadSize(config))
                .featuresDiscoverServices(false)
                .addFeature(Observability.feature(ready::get))
                .routing(r -> {
                    r.post(slackPath, (req, res) -> slackRoute.get().handle(req, res));
                    if (sandbox) {
                        r.register(SandboxSlack.PATH, workspace);
                    }
                })
                .build()
                .start();
        String local = "http://127.0.0.1:" + server.port();

        SlackConfig slackConfig = new SlackConfig();
        // Per-method call statistics: they feed the SDK's metrics API and async rate limiter, neither of which the bot uses.
        slackConfig.setStatsEnabled(false);
        config.get("slack.api-url").asString().filter(s -> !s.isBlank())
                .or(() -> sandbox ? Optional.of(local + SandboxSlack.PATH + "/api/") : Optional.empty())
                .ifPresent(slackConfig::setMethodsEndpointUrlPrefix);
        Slack slack = Slack.getInstance(slackConfig);
        String botToken = sandbox ? "xoxb-sandbox" : token;
        App app = new App(AppConfig.builder().slack(slack).singleTeamBotToken(botToken).signingSecret(secret).build());
        SlackWebClient web = new SlackWebClient(slack, botToken);

        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, daemon("cluster"));
        AfterAck work = new AfterAck(config.get("slack.after-ack.threads").asInt().filter(n -> n > 0).orElse(AfterAck.defaultThreads()),
                config.get("slack.after-ack.queue").asInt().orElse(10_000));
        // Provisioning, releases and notices: off the request, ticker and informer threads, two at a time.
        ExecutorService effects = Executors.newFixedThreadPool(2, daemon("effects"));
        SlackNotifier slackNotifier = new SlackNotifier(web, config.get("slack.delivery.attempts").asInt().orElse(6),
                config.get("slack.delivery.backoff").as(Duration.class).orElse(Duration.ofMillis(250)));
        ReservationStore store = Wiring.store(config);
        Wiring.Accounts accounts = Wiring.identity(config, env, sandbox, store, scheduler);
        ClusterRuntime cluster = Wiring.cluster(config, catalog, env, scale, scheduler, out);
        Echoes echoes = new Echoes();
        // Set once Discord is logged in, before anything is scheduled; a notice goes to its owner's platform.
        AtomicReference<Optional<DiscordFrontEnd>> discord = new AtomicReference<>(Optional.empty());
        Notifier notifier = notice -> {
            discord.get().filter(d -> DiscordUsers.isDiscord(notice.reservation().owner())).map(DiscordFrontEnd::notifier)
                    .orElse(slackNotifier).notify(notice);
            if (echoes.first(notice) && notice instanceof Notice.Reminder reminder) {
                cluster.cluster().tell(reminder.reservation(), TerminalViews.reminder(reminder));
            }
        };
        ReservationService service = new ReservationService(new Engine(catalog, limits),
                new RequestValidator(catalog, limits, cluster.cluster().offersJupyter(), cluster.cluster().images()),
                store, cluster.cluster(), accounts.identity(), notifier, time, new SecureRandom(), effects);
        slackNotifier.listen(service);
        Reservations reservations = new Reservations(service);
        Set<UserId> admins = BotConfig.strings(config.get("slack.admins")).stream().map(UserId::new).collect(Collectors.toSet());
        if (sandbox) {
            admins = Set.of(new UserId(SANDBOX_USER));
        }
        Outbox slackOutbox = SlackBot.outbox(web);
        Outbox outbox = (to, message) -> (DiscordUsers.isDiscord(to) ? discord.get().orElseThrow().outbox() : slackOutbox).send(to, message);
        Conversation conversation = new Conversation(reservations, accounts.linking(), outbox);
        new SlackBot(conversation, admins, work).register(app, config.get("slack.command").asString().orElse("/gpu"));
        boolean slackOn = !(mode instanceof Mode.Production p && p.slack().isEmpty());
        if (slackOn) {
            app.initialize();
        }
        if (mode instanceof Mode.Production p && p.discord()) {
            DiscordFrontEnd d = DiscordFrontEnd.start(DiscordSettings.of(config.get("discord"), env), catalog, conversation,
                    ReservationViews::of, () -> StatusViews.queueStatus(reservations.board()), work, scheduler);
            d.listen(service);
            discord.set(Optional.of(d));
        }
        AtomicBoolean serving = new AtomicBoolean();
        slackRoute.set(slackOn ? leaderOnly(new BoltBridge(app), () -> serving.get() && cluster.leadership().leading())
                : (req, res) -> res.status(Status.NOT_FOUND_404).send("Slack is not configured on this bot (Discord only)"));

        awaitSync(cluster, config.get("cluster.sync-timeout").as(Duration.class).orElse(Duration.ofSeconds(60)));
        Ticker ticker = new Ticker(service, time, scale, config.get("runtime.max-tick").as(Duration.class).orElse(Duration.ofSeconds(1)));
        Duration reconcileEvery = config.get("cluster.reconcile-interval").as(Duration.class).orElse(Duration.ofMinutes(5));
        Optional<SocketModeApp> socket = mode instanceof Mode.Production p && p.slack().equals(Optional.of(Mode.Transport.SOCKET))
                ? Optional.of(new SocketModeApp(env.get(Mode.APP_TOKEN), app)) : Optional.empty();
        AtomicBoolean closed = new AtomicBoolean();
        // Losing the lease or a write refused for a newer term (another replica leads): halt, and rejoin as a follower.
        service.onFenced(() -> stepDown(closed, ready, "a newer leader's term refused a write"));
        cluster.leadership().start(() -> {
            service.start();
            // An API failing over with us must not keep the ticker from starting: the periodic reconcile catches up.
            reconcile(cluster, store, () -> { });
            scheduler.scheduleWithFixedDelay(() -> reconcile(cluster, store, service::reload), reconcileEvery.toMillis(), reconcileEvery.toMillis(),
                    TimeUnit.MILLISECONDS);
            ticker.start();
            Observability.registerGauges(service, catalog);
            String queueChannel = config.get("slack.queue-channel").asString().orElse("");
            if (!queueChannel.isBlank()) {
                new QueueChannel(web, queueChannel, reservations,
                        config.get("slack.status-min-interval").as(Duration.class).orElse(Duration.ofSeconds(5)), scheduler).start();
            }
            socket.ifPresent(s -> {
                try {
                    s.startAsync();
                } catch (Exception e) {
                    throw new IllegalStateException("Socket Mode did not start: " + e.getMessage(), e);
                }
            });
            discord.get().ifPresent(d -> {
                reservations.onChange(d::statusChanged);
                d.serve();
            });
            serving.set(true);
            LOG.log(System.Logger.Level.INFO, "leading: scheduling from now on");
        }, () -> stepDown(closed, ready, "lost the leadership"));
        // Followers too: Ready is "started and synced", so rollouts and drains count them; Slack reaches only the leader
        // (the chart's Service selects the label it puts on its pod) and a follower's Slack route answers 503.
        ready.set(true);

        Optional<SandboxConsole> console = Optional.empty();
        if (sandbox) {
            SandboxClock sandboxClock = (SandboxClock) time;
            String storeKind = config.get("store.kind").asString().orElse("memory");
            console = Optional.of(new SandboxConsole(new SignedSlackClient(URI.create(local + slackPath), secret, Clock.systemUTC()),
                    workspace, sandboxClock, local + SandboxSlack.PATH + "/response/", out));
            out.printf("""
                    gpu-dev-bot is running in SANDBOX mode on %s (%s): %s store, simulated cluster
                    (%s), time x%s. Slack requests to %s are verified with the signing secret %s
                    Health: %s/observe/health  Metrics: %s/observe/metrics
                    """, local, ((Mode.Sandbox) mode).why(), "memory".equals(storeKind) ? "in-memory" : storeKind,
                    service.state().cluster().nodes().stream().map(n -> n.name() + " " + n.capacity() + "x" + n.gpuType())
                    .collect(Collectors.joining(", ")), scale, local + slackPath,
                    env.getOrDefault(Mode.SIGNING_SECRET, "").isBlank() ? secret : "from SLACK_SIGNING_SECRET", local, local);
        } else {
            LOG.log(System.Logger.Level.INFO, "gpu-dev-bot listening on port " + server.port());
        }
        return new Bot(server, service, secret, slackPath, ticker, slackNotifier, cluster, scheduler, work, effects, console, socket, closed,
                serving, discord.get());
    }

    /**
     * Until this replica leads and has started its service (a follower, or a leader still starting), a request routed to
     * it anyway gets 503 (Slack retries events), never an answer from a state that was never loaded.
     */
    private static Handler leaderOnly(Handler bridge, BooleanSupplier serving) {
        return (req, res) -> {
            if (serving.getAsBoolean()) {
                bridge.handle(req, res);
            } else {
                res.status(Status.SERVICE_UNAVAILABLE_503).send("not the leader; the Service sends Slack to the leader's pod");
            }
        };
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

    private static void stepDown(AtomicBoolean closed, AtomicBoolean ready, String why) {
        if (closed.get()) {
            return;
        }
        ready.set(false);
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

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    public int port() {
        return server.port();
    }

    public URI slackEndpoint() {
        return URI.create("http://127.0.0.1:" + server.port() + slackPath);
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

    /** Stops what produces work first (Slack input, the timer, leadership, the cluster), the notifier last. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        socketMode.ifPresent(s -> {
            try {
                s.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "closing Socket Mode: " + e.getMessage());
            }
        });
        discord.ifPresent(DiscordFrontEnd::close);
        server.stop();
        ticker.close();
        try {
            cluster.leadership().close();
            cluster.closer().close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "closing the cluster: " + e.getMessage());
        }
        work.close();
        effects.shutdownNow();
        scheduler.shutdownNow();
        notifier.close();
    }
}
