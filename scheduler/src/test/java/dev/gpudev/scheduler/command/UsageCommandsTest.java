package dev.gpudev.scheduler.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class UsageCommandsTest {
    static List<Arguments> commands() {
        return List.of(
                Arguments.of("usage", new Command.Usage(false, null, null, false)),
                Arguments.of("/gpu usage month", new Command.Usage(true, null, null, false)),
                Arguments.of("usage week <@U0ANA|ana>", new Command.Usage(false, "<@U0ANA|ana>", null, false)),
                Arguments.of("usage team:ml-infra month csv", new Command.Usage(true, null, "ml-infra", true)),
                Arguments.of("report @U0123ABCD", new Command.Usage(false, "@U0123ABCD", null, false)),
                Arguments.of("timeline", new Command.Timeline(null)),
                Arguments.of("timeline H100", new Command.Timeline("h100")));
    }

    @ParameterizedTest
    @MethodSource("commands")
    void parses(String text, Command expected) {
        assertThat(CommandParser.parse(text)).isEqualTo(expected);
    }

    static List<Arguments> refused() {
        return List.of(
                Arguments.of("usage week month", "`month` is not something `usage` takes"),
                Arguments.of("usage yesterday", "/gpu usage [week|month] [@user|team:NAME] [csv]"),
                Arguments.of("usage @U0123ABCD team:ml", "`team:ml` is not something"),
                Arguments.of("usage team:", "`team:` is not something"),
                Arguments.of("timeline h100 b200", "`timeline` takes a GPU type or nothing"));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void refusesWhatItDoesNotTakeAndSaysWhatWould(String text, String problem) {
        assertThat(CommandParser.parse(text)).isInstanceOfSatisfying(Command.Invalid.class, i -> assertThat(i.problem()).contains(problem));
    }
}
