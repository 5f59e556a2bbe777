package dev.gpudev.bot.slack;

import java.util.List;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackFilesUploadV2Exception;

import dev.gpudev.bot.conversation.Attachment;
import dev.gpudev.bot.conversation.Message;
import dev.gpudev.scheduler.model.UserId;

/**
 * A message's file on Slack, through the SDK's {@code filesUploadV2}: {@code files.getUploadURLExternal} (name and
 * length), a POST of the bytes to the URL it returns, then {@code files.completeUploadExternal}, which shares the file
 * into one channel with the title as its comment. A file cannot be ephemeral, so the file of an answer to a command
 * (which only the asker sees) goes to the asker's DM with the bot, never to the channel the command was typed in.
 */
public final class SlackFiles {
    private SlackFiles() {
    }

    /** Uploads {@code m}'s file, if it has one, into {@code channel} (a channel id, or a DM's {@code D…} id). */
    public static void share(MethodsClient slack, String channel, Message m) throws Exception {
        Attachment a = m.attachment();
        if (a == null) {
            return;
        }
        try {
            var done = slack.filesUploadV2(r -> r.channel(channel).filename(a.filename()).title(a.title()).fileData(a.bytes())
                    .initialComment(a.title()).requestFileInfo(false));
            if (!done.isOk()) {
                throw refused(a, done.getError());
            }
        } catch (SlackFilesUploadV2Exception e) {
            // The SDK's exception has no message: the step that failed says why.
            String why = e.getCompleteResponse() != null ? e.getCompleteResponse().getError()
                    : e.getGetURLResponses().stream().filter(g -> !g.isOk()).map(g -> g.getError()).findFirst()
                    .orElse("the upload was refused: " + e.getUploadResponses().values());
            throw refused(a, why);
        }
    }

    private static IllegalStateException refused(Attachment a, String why) {
        return new IllegalStateException("Slack did not take the file " + a.filename() + ": " + why);
    }

    /** Uploads {@code m}'s file, if it has one, into {@code user}'s DM with the bot. */
    public static void shareWith(MethodsClient slack, UserId user, Message m) throws Exception {
        if (m.attachment() != null) {
            share(slack, dm(slack, user), m);
        }
    }

    static String dm(MethodsClient slack, UserId user) throws Exception {
        var opened = slack.conversationsOpen(o -> o.users(List.of(user.value())));
        if (!opened.isOk()) {
            throw new IllegalStateException("Slack did not open a DM with " + user + ": " + opened.getError());
        }
        return opened.getChannel().getId();
    }
}
