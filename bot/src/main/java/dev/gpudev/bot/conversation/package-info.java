/**
 * The conversation, chat-neutral: what the bot says (a {@link dev.gpudev.bot.conversation.Message}, the reserve
 * {@link dev.gpudev.bot.conversation.Form}) and how a command, a button press or a form submission becomes a use-case
 * call and its answer ({@link dev.gpudev.bot.conversation.Conversation}). Nothing here names a chat platform: Slack
 * renders the model as Block Kit ({@code bot/slack}), Discord as embeds and components, the sandbox console as text.
 */
@NullMarked
package dev.gpudev.bot.conversation;

import org.jspecify.annotations.NullMarked;
