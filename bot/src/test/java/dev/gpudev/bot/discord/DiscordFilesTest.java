package dev.gpudev.bot.discord;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.gpudev.bot.conversation.Attachment;
import dev.gpudev.bot.conversation.Message;

class DiscordFilesTest {
    @Test
    void aMessagesFileBecomesAFileUploadWithItsNameAndBytes() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
        var data = DiscordViews.create(Message.of("Timeline").withAttachment(Attachment.png("timeline h100.png", "Timeline", png)));

        assertThat(data.getFiles()).hasSize(1);
        assertThat(data.getFiles().getFirst().getName()).isEqualTo("timeline-h100.png");
        try (var in = data.getFiles().getFirst().getData()) {
            assertThat(in.readAllBytes()).isEqualTo(png);
        }
        assertThat(DiscordViews.create(Message.of("no file")).getFiles()).isEmpty();
    }
}
