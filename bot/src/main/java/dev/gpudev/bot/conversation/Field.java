package dev.gpudev.bot.conversation;

/** A labelled value shown beside others (Slack: a section field; Discord: an embed field). Both in {@link Markup}. */
public record Field(String label, String value) {
}
