package dev.gpudev.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.gpudev.bot.conversation.Field;
import dev.gpudev.bot.conversation.Message;
import dev.gpudev.scheduler.app.Actor;
import dev.gpudev.scheduler.app.ReserveOutcome;
import dev.gpudev.scheduler.app.Reservations;
import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.command.CommandParser;
import dev.gpudev.scheduler.model.UserId;

/**
 * A reservation of a Discord user (one bot, one store, both platforms) as Slack shows it: a plain "Discord user 123…",
 * never a {@code <@discord:…>} Slack would draw as a broken mention.
 */
class ForeignUsersTest {
    private static final String DISCORD_ID = "223456789012345678";

    @Test
    void aDiscordOwnerReadsAsPlainTextInSlacksListOfEveryone() throws Exception {
        try (SlackHarness h = new SlackHarness(Map.of())) {
            ReserveOutcome outcome = new Reservations(h.bot.service()).reserve(new Actor(new UserId("discord:" + DISCORD_ID), false),
                    (Command.Reserve) CommandParser.parse("reserve h100 1 1h"), "discord:1");
            assertThat(outcome).isInstanceOf(ReserveOutcome.Accepted.class);

            String body = h.command("list all", "U0ANA").body();

            assertThat(body).contains("Discord user " + DISCORD_ID).doesNotContain("<@discord:");
        }
    }

    @Test
    void everyTextOfAMessageIsMadePlainForSlackAndSlackUsersStayMentions() {
        Message m = Message.of("`r-1` <@discord:" + DISCORD_ID + "> and <@U0ANA>").withHeading("h")
                .withFields(List.of(new Field("Owner", "<@discord:" + DISCORD_ID + ">"))).withNote("by <@discord:" + DISCORD_ID + ">");

        String blocks = BlockKit.blocks(m).toString() + BlockKit.slack(m.summary());

        assertThat(blocks).doesNotContain("<@discord:").contains("Discord user " + DISCORD_ID).contains("<@U0ANA>");
    }
}
