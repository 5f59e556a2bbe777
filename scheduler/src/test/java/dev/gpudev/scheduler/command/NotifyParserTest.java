package dev.gpudev.scheduler.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;

/** {@code /gpu notify ...} as typed in Slack (and the console). */
class NotifyParserTest {
    static final List<Arguments> READ = List.of(
            argumentSet("type, count, duration", "/gpu notify h100 8 2h", new NotifyAction.Subscribe("h100", 8, Duration.ofHours(2))),
            argumentSet("no duration: the default later", "notify h100 8", new NotifyAction.Subscribe("h100", 8, null)),
            argumentSet("any order, 4xh100", "notify 90m 4xh100", new NotifyAction.Subscribe("h100", 4, Duration.ofMinutes(90))),
            argumentSet("list", "notify list", new NotifyAction.ListMine()),
            argumentSet("cancel all of mine", "notify cancel", new NotifyAction.Cancel(null)),
            argumentSet("cancel all, said", "notify cancel all", new NotifyAction.Cancel(null)),
            argumentSet("cancel one", "notify stop N-1A2B3C4D", new NotifyAction.Cancel("n-1a2b3c4d")));

    static final List<Arguments> REFUSED = List.of(
            argumentSet("nothing", "notify", "Which GPUs?"),
            argumentSet("no count", "notify h100 2h", "needs a GPU type and a count"),
            argumentSet("options", "notify h100 8 2h --jupyter", "no options"),
            argumentSet("too many", "notify h100 99999", "too many GPUs"),
            argumentSet("years", "notify h100 8 99999999h", "too long"),
            argumentSet("list with more", "notify list all", "takes nothing more"),
            argumentSet("cancel two", "notify cancel a b", "one id"));

    @ParameterizedTest
    @FieldSource("READ")
    void reads(String text, NotifyAction expected) {
        assertThat(CommandParser.parse(text)).isEqualTo(new Command.Notify(expected));
    }

    @ParameterizedTest
    @FieldSource("REFUSED")
    void refusesWithWhatWouldWork(String text, String says) {
        assertThat(CommandParser.parse(text)).isInstanceOfSatisfying(Command.Invalid.class, i -> {
            assertThat(i.problem()).contains(says);
            assertThat(i.problem()).doesNotContain("/gpu reserve <type>");
        });
    }
}
