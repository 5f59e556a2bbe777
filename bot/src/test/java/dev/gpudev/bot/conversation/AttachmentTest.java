package dev.gpudev.bot.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AttachmentTest {
    static List<Arguments> names() {
        return List.of(
                Arguments.of("timeline.png", "timeline.png"),
                Arguments.of("../../etc/passwd", "passwd"),
                Arguments.of("C:\\\\Users\\\\x\\\\usage.csv", "usage.csv"),
                Arguments.of("usage week; rm -rf ~.csv", "usage-week--rm--rf--.csv"),
                Arguments.of(".hidden", "hidden"),
                Arguments.of("..", "file"),
                Arguments.of("nul\u0000byte.png", "nul-byte.png"),
                Arguments.of("é.png", "png"));
    }

    @ParameterizedTest
    @MethodSource("names")
    void filenamesAreSanitized(String given, String saved) {
        assertThat(Attachment.png(given, "", new byte[]{1}).filename()).isEqualTo(saved);
    }

    @Test
    void longNamesKeepTheirExtension() {
        String name = Attachment.png("x".repeat(300) + ".png", "", new byte[]{1}).filename();
        assertThat(name).hasSize(Attachment.MAX_NAME).endsWith(".png");
    }

    @Test
    void sizeIsBoundedAndEmptyIsRefused() {
        assertThat(Attachment.png("a.png", "", new byte[Attachment.MAX_BYTES]).size()).isEqualTo(Attachment.MAX_BYTES);
        assertThatThrownBy(() -> Attachment.png("a.png", "", new byte[Attachment.MAX_BYTES + 1])).hasMessageContaining(String.valueOf(Attachment.MAX_BYTES));
        assertThatThrownBy(() -> Attachment.png("a.png", "", new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bytesAreCopiedInAndOut() {
        byte[] b = {1, 2, 3};
        Attachment a = Attachment.png("a.png", "A", b);
        b[0] = 9;
        a.bytes()[1] = 9;
        assertThat(a.bytes()).containsExactly(1, 2, 3);
    }

    @Test
    void aMessageKeepsItsFileThroughEveryChange() {
        Attachment a = Attachment.csv("u.csv", "Usage", "a,b\n");
        Message m = Message.of("x").withAttachment(a).withHeading("h").withNote("n").withSummary("s").replacing("C:1")
                .withFields(List.of()).withButtons(List.of()).withItems(List.of());
        assertThat(m.attachment()).isEqualTo(a);
        assertThat(Message.of("x").attachment()).isNull();
    }
}
