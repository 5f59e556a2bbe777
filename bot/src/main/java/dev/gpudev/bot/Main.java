package dev.gpudev.bot;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;

import dev.gpudev.bot.config.BotConfig;
import dev.gpudev.bot.config.SandboxSettings;

/** Starts the bot; in sandbox mode the terminal is a Slack client until {@code :quit}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        // Pictures (bot.pictures) are drawn off-screen: never look for a display, whatever DISPLAY says.
        System.setProperty("java.awt.headless", "true");
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Config config = BotConfig.load();
        Bot bot;
        try {
            bot = Bot.start(config, System.getenv(), Clock.systemUTC(), out);
        } catch (IllegalStateException | IllegalArgumentException | ConfigException e) {
            // A configuration the bot refuses: the message says what to set; a stack trace would bury it.
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(bot::close));
        if (bot.console().isPresent() && config.get("sandbox").as(SandboxSettings::create).get().console()) {
            if (bot.console().get().run(System.in)) {
                System.exit(0);
            }
            out.println("(console input ended; the bot keeps serving HTTP — Ctrl-C stops it)");
        }
        Thread.currentThread().join();
    }
}
