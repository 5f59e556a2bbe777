package dev.gpudev.adapters.github;

import java.net.http.HttpClient;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

import dev.gpudev.adapters.github.account.Accounts;
import dev.gpudev.adapters.github.account.GithubAccount;
import dev.gpudev.adapters.github.api.AppTokenSource;
import dev.gpudev.adapters.github.api.GithubApi;
import dev.gpudev.adapters.github.api.GithubUnavailableException;
import dev.gpudev.adapters.github.api.TokenSource;
import dev.gpudev.adapters.github.device.DeviceFlow;
import dev.gpudev.adapters.github.device.DeviceLinkListener;
import dev.gpudev.adapters.github.device.DeviceStart;
import dev.gpudev.adapters.github.device.LinkResult;
import dev.gpudev.adapters.github.device.Poller;
import dev.gpudev.adapters.github.keys.KeyFingerprint;
import dev.gpudev.adapters.github.keys.PublicKeys;
import dev.gpudev.adapters.github.policy.PolicyCheck;
import dev.gpudev.adapters.github.policy.Verdict;
import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.SshPublicKey;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.model.UserLink;
import dev.gpudev.scheduler.port.AccessDecision;
import dev.gpudev.scheduler.port.Identity;
import dev.gpudev.scheduler.port.ReservationStore;

/**
 * The chat user's proven GitHub account, the access policy and their public keys. A link names the account by its id,
 * and every check first asks GitHub for the account's login now: a renamed account keeps working, and a login freed
 * and taken by someone else is never used for the link. Verdicts and keys are cached per login, logins per id
 * (refusals, deleted accounts and empty key lists for a shorter time); GitHub trouble without a fresh cached answer
 * refuses with {@link #UNREACHABLE}. Nothing here ever grants on an error.
 */
public final class GithubIdentity implements Identity {
    public static final String UNREACHABLE = "GitHub is unreachable — try again in a minute";
    private static final System.Logger LOG = System.getLogger(GithubIdentity.class.getName());

    private final GithubSettings settings;
    private final ReservationStore links;
    private final Clock clock;
    private final GithubApi api;
    private final PolicyCheck policy;
    private final PublicKeys publicKeys;
    private final Accounts accounts;
    private final DeviceFlow deviceFlow;
    private final Cache<GithubLogin, Verdict> verdicts;
    private final Cache<GithubLogin, UserKeys> keys;
    private final Cache<Long, Optional<GithubAccount>> byId;

    /** A user's keys; {@code exists} is false when GitHub has no such user (a 404, cached like a refusal). */
    private record UserKeys(boolean exists, List<SshPublicKey> list) {
    }

    public GithubIdentity(GithubSettings settings, ReservationStore links, HttpClient http, Poller poller, Clock clock, Ticker ticker) {
        this.settings = settings;
        this.links = links;
        this.clock = clock;
        this.api = new GithubApi(http, settings.apiUrl(), tokens(settings, http, clock), settings.requestTimeout(), clock, ticker);
        this.policy = new PolicyCheck(api, settings.policy());
        this.publicKeys = new PublicKeys(api, settings.maxKeyPages());
        this.accounts = new Accounts(api);
        this.deviceFlow = new DeviceFlow(http, settings.oauthUrl(), settings.oauthClientId(), settings.requestTimeout(), api, poller, clock,
                this::store);
        this.verdicts = Caffeine.newBuilder().ticker(ticker).maximumSize(50_000)
                .expireAfter(Expiry.<GithubLogin, Verdict>writing((k, v) -> v instanceof Verdict.Allowed ? settings.allowedTtl() : settings.deniedTtl()))
                .build();
        this.keys = Caffeine.newBuilder().ticker(ticker).maximumSize(50_000)
                .expireAfter(Expiry.<GithubLogin, UserKeys>writing((k, v) -> v.list().isEmpty() ? settings.deniedTtl() : settings.keysTtl()))
                .build();
        this.byId = Caffeine.newBuilder().ticker(ticker).maximumSize(50_000)
                .expireAfter(Expiry.<Long, Optional<GithubAccount>>writing((k, v) -> v.isEmpty() ? settings.deniedTtl() : settings.keysTtl()))
                .build();
    }

    /** Production wiring: the JDK client (no redirects followed: a 302 from GitHub means something), system time. */
    public static GithubIdentity create(GithubSettings settings, ReservationStore links, ScheduledExecutorService scheduler) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(settings.requestTimeout()).followRedirects(HttpClient.Redirect.NEVER).build();
        return new GithubIdentity(settings, links, http, Poller.of(scheduler), Clock.systemUTC(), Ticker.systemTicker());
    }

    private static TokenSource tokens(GithubSettings settings, HttpClient http, Clock clock) {
        if (settings.app().configured()) {
            return new AppTokenSource(http, settings.apiUrl(), settings.app().appId(),
                    settings.app().privateKeyPem(), settings.app().installationId(), settings.requestTimeout(), clock);
        }
        return TokenSource.fixed(settings.token());
    }

    @Override
    public AccessDecision authorize(UserId user) {
        Optional<UserLink> link;
        try {
            link = links.link(user);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "reading the GitHub link of " + user + " failed: " + e.getMessage());
            return new AccessDecision.Unavailable("Your GitHub link could not be read — try again in a minute");
        }
        if (link.isEmpty()) {
            return new AccessDecision.Denied(howToLink());
        }
        if (!link.get().verified()) {
            return new AccessDecision.Denied("Your link to GitHub account " + link.get().login() + " was never verified. " + howToLink());
        }
        Optional<GithubAccount> account;
        try {
            account = account(link.get());
        } catch (GithubUnavailableException e) {
            LOG.log(System.Logger.Level.WARNING, "GitHub account lookup for " + user + " failed: " + e.getMessage());
            return new AccessDecision.Unavailable(UNREACHABLE);
        }
        return account.isEmpty() ? new AccessDecision.Denied(gone(link.get())) : authorizeLogin(account.get().login());
    }

    @Override
    public AccessDecision authorizeLogin(GithubLogin login) {
        try {
            Verdict verdict = verdict(login);
            if (verdict instanceof Verdict.Refused(String reason)) {
                return new AccessDecision.Denied("Not allowed: " + reason + ".");
            }
            UserKeys found = keys(login);
            if (!found.exists()) {
                return new AccessDecision.Denied("GitHub has no user " + login + ".");
            }
            if (found.list().isEmpty()) {
                return new AccessDecision.Denied(noKeys(login));
            }
            return new AccessDecision.Granted(login, found.list());
        } catch (GithubUnavailableException e) {
            LOG.log(System.Logger.Level.WARNING, "GitHub check of " + login + " failed: " + e.getMessage());
            return new AccessDecision.Unavailable(UNREACHABLE);
        }
    }

    /** The link, key fingerprints and the policy's verdict; keys are shown even when the policy refuses. */
    public Whoami whoami(UserId user) {
        Optional<UserLink> link;
        try {
            link = links.link(user);
        } catch (RuntimeException e) {
            return new Whoami.NotLinked("Your GitHub link could not be read — try again in a minute.");
        }
        if (link.isEmpty()) {
            return new Whoami.NotLinked(howToLink());
        }
        UserLink now = link.get();
        try {
            if (now.verified()) {
                Optional<GithubAccount> account = account(now);
                if (account.isEmpty()) {
                    return new Whoami.NotLinked(gone(now));
                }
                now = now.withAccount(account.get().login(), account.get().id());
            }
            GithubLogin login = now.login();
            Verdict verdict = verdict(login);
            UserKeys found = keys(login);
            String note = !found.exists() ? "GitHub has no user " + login + "." : found.list().isEmpty() ? noKeys(login) : "";
            return new Whoami.Known(now, verdict, found.list().stream().map(KeyFingerprint::of).toList(), note);
        } catch (GithubUnavailableException e) {
            LOG.log(System.Logger.Level.WARNING, "whoami of " + user + " failed: " + e.getMessage());
            return new Whoami.Unavailable(now, UNREACHABLE);
        }
    }

    /** Starts {@code /gpu link}; see {@link DeviceFlow}. On success the link is stored and the user's cache entries dropped. */
    public DeviceStart startLink(UserId user, DeviceLinkListener listener) {
        return deviceFlow.start(user, listener);
    }

    /**
     * {@code /gpu admin link @user login}: an admin vouches for the link (the caller checks that it is an admin). The
     * account that holds the login now is linked by its id; nothing is stored when GitHub has no such user or cannot say.
     */
    public LinkResult adminLink(UserId user, GithubLogin login) {
        Optional<GithubAccount> account;
        try {
            account = accounts.byLogin(login);
        } catch (GithubUnavailableException e) {
            LOG.log(System.Logger.Level.WARNING, "admin link of " + user + " to " + login + ": GitHub lookup failed: " + e.getMessage());
            return new LinkResult.Failed("GitHub is unreachable, so " + login + " could not be checked; nothing was linked. Try again in a minute.");
        }
        if (account.isEmpty()) {
            return new LinkResult.Denied("GitHub has no user " + login + "; nothing was linked.");
        }
        try {
            store(user, account.get());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "storing the link of " + user + " failed", e);
            return new LinkResult.Failed("The link to " + account.get().login() + " could not be saved: try again in a minute.");
        }
        return new LinkResult.Linked(account.get().login());
    }

    /** {@code /gpu admin forget @user}: drops cached verdicts, keys and login, so the next check asks GitHub. */
    public void forget(UserId user) {
        links.link(user).ifPresent(l -> {
            forgetLogin(l.login());
            byId.invalidate(l.githubId());
        });
    }

    public void forgetLogin(GithubLogin login) {
        verdicts.invalidate(login);
        keys.invalidate(login);
    }

    /** For the health page: the last X-RateLimit-Remaining GitHub reported, -1 before any call. */
    public long rateLimitRemaining() {
        return api.rateLimitRemaining();
    }

    public GithubSettings settings() {
        return settings;
    }

    private void store(UserId user, GithubAccount account) {
        links.link(user).ifPresent(old -> forgetLogin(old.login()));
        links.saveLink(new UserLink(user, account.login(), account.id(), true, clock.instant()));
        forgetLogin(account.login());
        byId.put(account.id(), Optional.of(account));
        LOG.log(System.Logger.Level.INFO, "linked " + user + " to GitHub " + account.login() + " (id " + account.id() + ")");
    }

    /**
     * The linked account as it is now, found by its id; empty when GitHub no longer has it. A link stored before ids
     * were kept learns its id here, once, from the login (trust on first use; see docs/github.md) — unless the account
     * at that login was created after the link was made, which makes it somebody else's.
     */
    private Optional<GithubAccount> account(UserLink link) {
        if (!link.idKnown()) {
            Optional<GithubAccount> found = accounts.byLogin(link.login()).filter(a -> !a.createdAt().isAfter(link.linkedAt()));
            found.ifPresent(a -> {
                byId.put(a.id(), found);
                remember(link, a);
            });
            return found;
        }
        Optional<GithubAccount> cached = byId.getIfPresent(link.githubId());
        Optional<GithubAccount> now = cached != null ? cached : accounts.byId(link.githubId());
        if (cached == null) {
            byId.put(link.githubId(), now);
        }
        now.ifPresent(a -> remember(link, a));
        return now;
    }

    /** Best effort: the stored link follows a rename, or learns its id; a store failure only means asking again later. */
    private void remember(UserLink old, GithubAccount now) {
        if (old.githubId() == now.id() && old.login().value().equals(now.login().value())) {
            return;
        }
        if (!old.login().equals(now.login())) {
            forgetLogin(old.login());
        }
        try {
            if (links.link(old.user()).filter(old::equals).isPresent()) {   // a link made meanwhile wins
                links.saveLink(old.withAccount(now.login(), now.id()));
            }
            LOG.log(System.Logger.Level.INFO, old.idKnown()
                    ? "GitHub account " + now.id() + " linked by " + old.user() + " is now " + now.login() + " (was " + old.login() + ")"
                    : "learned GitHub id " + now.id() + " of " + now.login() + ", linked by " + old.user() + " before ids were kept");
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "updating the GitHub link of " + old.user() + " failed: " + e.getMessage());
        }
    }

    // getIfPresent + put rather than get(key, loader): a slow GitHub call must not hold a lock other users' lookups may need.
    private Verdict verdict(GithubLogin login) {
        Verdict cached = verdicts.getIfPresent(login);
        if (cached != null) {
            return cached;
        }
        Verdict fresh = policy.check(login);
        verdicts.put(login, fresh);
        return fresh;
    }

    private UserKeys keys(GithubLogin login) {
        UserKeys cached = keys.getIfPresent(login);
        if (cached != null) {
            return cached;
        }
        UserKeys fresh = publicKeys.of(login).map(k -> new UserKeys(true, k)).orElseGet(() -> new UserKeys(false, List.of()));
        keys.put(login, fresh);
        return fresh;
    }

    private String howToLink() {
        return settings.deviceFlowEnabled()
                ? "Link your GitHub account first: run `/gpu link`."
                : "Ask an admin to link your GitHub account: `/gpu admin link @you <github-login>`.";
    }

    private String gone(UserLink link) {
        String again = settings.deviceFlowEnabled() ? "run `/gpu link` again." : "ask an admin to link you again.";
        return link.idKnown()
                ? "The GitHub account you linked (" + link.login() + ", id " + link.githubId() + ") no longer exists: " + again
                : "The GitHub account you linked as " + link.login() + " is gone or renamed, and " + link.login()
                        + " may now be somebody else's: " + again;
    }

    private String noKeys(GithubLogin login) {
        return "GitHub account " + login + " has no SSH keys, so no server could be opened for you. Add one at "
                + settings.oauthUrl().toString().replaceAll("/+$", "") + "/settings/ssh/new and try again in a minute.";
    }
}
