package dev.gpudev.bot.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.gpudev.bot.TestBots;

class DiscordSettingsTest {
    private static final String TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.Gabcde.secret-part-of-the-token";
    private static final Map<String, String> ENV = Map.of("DISCORD_BOT_TOKEN", TOKEN, "DISCORD_GUILD_ID", "123456789012345678");

    @Test
    void theSettingsNeverShowTheToken() {
        DiscordSettings settings = DiscordSettings.of(TestBots.config(Map.of("discord.admins", "223456789012345678")).get("discord"), ENV);

        assertThat(settings.token()).isEqualTo(TOKEN);
        assertThat(settings.toString()).doesNotContain(TOKEN).doesNotContain("secret-part").contains("token=(set)")
                .contains("discord:223456789012345678");
    }

    @Test
    void aSlackIdAmongTheDiscordAdminsIsRefusedNamingTheSettingAndWhatWouldWork() {
        assertThatThrownBy(() -> DiscordSettings.of(TestBots.config(Map.of("discord.admins", "223456789012345678,U0ANA")).get("discord"), ENV))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("discord.admins 'U0ANA' is not a Discord user id").hasMessageContaining("slack.admins");
    }
}
