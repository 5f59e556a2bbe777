package dev.gpudev.bot.conversation;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The small markup of message text: the part of Slack's mrkdwn that means one thing, so Slack takes it as it is and
 * every other renderer translates it ({@link #markdown}). Nothing else is markup.
 * <ul>
 * <li>{@code *bold*}, {@code _italic_}, {@code `code`}, {@code ```code block```}</li>
 * <li>{@code <https://…|label>} a link, {@code <@U123>} a user, {@link #time} a time shown in the reader's zone</li>
 * <li>{@code :name:} an emoji of {@link #EMOJI}</li>
 * <li>{@code &amp;}, {@code &lt;}, {@code &gt;}: the three characters escaped in text from users ({@link #escape})</li>
 * </ul>
 */
public final class Markup {
    /** Every emoji the views use, by name, with its character for renderers without short codes. */
    public static final Map<String, String> EMOJI = Map.ofEntries(Map.entry("hourglass_flowing_sand", "⏳"),
            Map.entry("hourglass", "⌛"), Map.entry("gear", "⚙️"), Map.entry("white_check_mark", "✅"),
            Map.entry("alarm_clock", "⏰"), Map.entry("checkered_flag", "🏁"), Map.entry("wastebasket", "🗑️"),
            Map.entry("no_entry", "⛔"), Map.entry("grey_question", "❔"), Map.entry("x", "❌"),
            Map.entry("information_source", "ℹ️"), Map.entry("warning", "⚠️"), Map.entry("lock", "🔒"),
            Map.entry("mega", "📣"), Map.entry("bar_chart", "📊"), Map.entry("bell", "🔔"), Map.entry("calendar", "📅"),
            Map.entry("key", "🔑"), Map.entry("link", "🔗"), Map.entry("page_facing_up", "📄"), Map.entry("recycle", "♻️"),
            Map.entry("scroll", "📜"), Map.entry("zzz", "💤"));
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY_HH_MM = DateTimeFormatter.ofPattern("EEE d MMM HH:mm", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final Pattern TIME = Pattern.compile("<!date\\^(\\d+)\\^[^|>]*\\|([^>]*)>");
    private static final Pattern LINK = Pattern.compile("<(https?://[^|>]+)\\|([^>]*)>");
    private static final Pattern USER = Pattern.compile("<@([A-Za-z0-9_]+)>");
    private static final Pattern EMOJI_CODE = Pattern.compile(":([a-z0-9_+-]+):");
    private static final Pattern BOLD = Pattern.compile("(?<![A-Za-z0-9*])\\*([^*\\n]+)\\*(?![A-Za-z0-9*])");
    /** Marks a set-aside code span in {@link #markdown}: a character no message contains. */
    private static final String HOLE = "\u0000";
    private static final Pattern CODE = Pattern.compile("```[\\s\\S]*?```|`[^`\\n]*`");

    private Markup() {
    }

    /** A time Slack shows in the reader's own time zone; the fallback is {@code HH:mm UTC}. */
    public static String time(Instant t) {
        return "<!date^" + t.getEpochSecond() + "^{time}|" + HH_MM.format(t) + " UTC>";
    }

    /** A day and time Slack shows in the reader's own time zone; the fallback is in UTC. */
    public static String dayTime(Instant t) {
        return "<!date^" + t.getEpochSecond() + "^{date_short_pretty} {time}|" + DAY_HH_MM.format(t) + " UTC>";
    }

    public static String user(String id) {
        return "<@" + id + ">";
    }

    public static String link(String url, String label) {
        return "<" + url + "|" + label + ">";
    }

    /** Escapes the characters that would otherwise be markup, in text that came from users or the cluster. */
    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    public static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /** Notification text: no emoji codes, no bold or italic markers (links, users and times stay: see {@link #markdown}). */
    public static String plain(String text) {
        return text.replaceAll(":[a-z0-9_+-]+: ?", "").replaceAll("(?<![A-Za-z0-9])[*_]|[*_](?![A-Za-z0-9])", "");
    }

    /**
     * The same text in CommonMark-style markdown as Discord reads it: {@code **bold**}, {@code [label](url)}, emoji as
     * characters, {@code <t:epoch:t>} for times, and the escapes undone. Code is left as it is (but unescaped).
     */
    public static String markdown(String text) {
        // Code is set aside as numbered placeholders, so a bold around code (*Snapshots of `data`*) is still one bold.
        List<String> codes = new ArrayList<>();
        String prose = CODE.matcher(text.replace(HOLE, "")).replaceAll(m -> {
            codes.add(unescape(m.group()));
            return Matcher.quoteReplacement(HOLE + (codes.size() - 1) + HOLE);
        });
        return Pattern.compile(HOLE + "(\\d+)" + HOLE).matcher(prose(prose))
                .replaceAll(m -> Matcher.quoteReplacement(codes.get(Integer.parseInt(m.group(1)))));
    }

    private static String prose(String s) {
        String t = EMOJI_CODE.matcher(s).replaceAll(m -> Matcher.quoteReplacement(EMOJI.getOrDefault(m.group(1), m.group())));
        t = TIME.matcher(t).replaceAll("<t:$1:t>");
        t = LINK.matcher(t).replaceAll(m -> Matcher.quoteReplacement("[" + m.group(2) + "](" + m.group(1) + ")"));
        t = BOLD.matcher(t).replaceAll("**$1**");
        return USER.matcher(unescape(t)).replaceAll("<@$1>");
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
}
