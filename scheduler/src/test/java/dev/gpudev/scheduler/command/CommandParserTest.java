package dev.gpudev.scheduler.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CommandParserTest {

    static List<Arguments> reserveForms() {
        return List.of(
                Arguments.of(Named.of("type count duration", "/gpu reserve h100 4 2h"), "h100", 4, Duration.ofHours(2)),
                Arguments.of(Named.of("count type for minutes", "reserve 4 h100 for 90m"), "h100", 4, Duration.ofMinutes(90)),
                Arguments.of(Named.of("NxTYPE and fractional hours", "reserve 4xh100 1.5h"), "h100", 4, Duration.ofMinutes(90)),
                Arguments.of(Named.of("upper case and flag", "reserve H100 8 30m --jupyter"), "h100", 8, Duration.ofMinutes(30)),
                Arguments.of(Named.of("two whole nodes", "reserve h100 2x8 4h"), "h100", 16, Duration.ofHours(4)),
                Arguments.of(Named.of("compound duration", "reserve l4 1 1h30m"), "l4", 1, Duration.ofMinutes(90)));
    }

    @ParameterizedTest
    @MethodSource("reserveForms")
    void readsEveryReserveForm(String text, String type, int gpus, Duration duration) {
        assertThat(CommandParser.parse(text)).isInstanceOfSatisfying(Command.Reserve.class, r -> {
            assertThat(r.gpuType()).isEqualTo(type);
            assertThat(r.gpus()).isEqualTo(gpus);
            assertThat(r.duration()).isEqualTo(duration);
        });
    }

    @ParameterizedTest
    @MethodSource("flagForms")
    void readsOptions(String text, boolean jupyter, List<String> users, String name) {
        assertThat(CommandParser.parse(text)).isInstanceOfSatisfying(Command.Reserve.class, r -> {
            assertThat(r.jupyter()).isEqualTo(jupyter);
            assertThat(r.addUsers()).isEqualTo(users);
            assertThat(r.name()).isEqualTo(name);
        });
    }

    static List<Arguments> flagForms() {
        return List.of(
                Arguments.of("reserve h100 1 1h --add-user octocat --name llama", false, List.of("octocat"), "llama"),
                Arguments.of("reserve h100 1 1h --add-user=a,b --jupyter", true, List.of("a", "b"), null));
    }

    @ParameterizedTest
    @MethodSource("invalidForms")
    void explainsWhatIsWrong(String text, String mentions) {
        assertThat(CommandParser.parse(text)).isInstanceOfSatisfying(Command.Invalid.class,
                i -> assertThat(i.problem()).contains(mentions));
    }

    static List<Arguments> invalidForms() {
        return List.of(
                Arguments.of("reserve h100 4 2", "no unit"),
                Arguments.of("reserve h100 a100 2h", "GPU type is given twice"),
                Arguments.of("reserve h100 4 2h --fast", "Unknown option `--fast`"),
                Arguments.of("frobnicate", "I don't know `frobnicate`"),
                Arguments.of("extend h100-7f3a", "How long?"),
                Arguments.of("admin drain", "Admin commands"));
    }

    /** Numbers and durations of any size: answered as written, never an exception, an overflow or a rounded echo. */
    static List<Arguments> outOfBounds() {
        return List.of(
                Arguments.of(Named.of("nodes x gpus beyond int", "reserve h100 99999999999x8 2h"), "`99999999999x8` is too many GPUs; at most 4096"),
                Arguments.of(Named.of("nodes x gpus whose product wraps to 0", "reserve h100 65536x65536 2h"), "`65536x65536` is too many GPUs"),
                Arguments.of(Named.of("product wraps negative", "reserve h100 46341x46341 2h"), "`46341x46341` is too many GPUs"),
                Arguments.of(Named.of("count beyond long", "reserve h100 99999999999999999999999 2h"), "`99999999999999999999999` is too many GPUs"),
                Arguments.of(Named.of("count and type beyond int", "reserve 99999999999xh100 2h"), "`99999999999xh100` is too many GPUs"),
                Arguments.of(Named.of("hours beyond a year", "reserve h100 4 99999999999h"), "`99999999999h` is too long"),
                Arguments.of(Named.of("days beyond a year", "reserve h100 4 400d"), "`400d` is too long"),
                Arguments.of(Named.of("scientific notation", "reserve h100 4 1e9m"), "`1e9m` is neither a GPU count nor a duration"),
                Arguments.of(Named.of("extend by years", "extend h100-7f3a 99999999999h"), "`99999999999h` is too long"),
                Arguments.of(Named.of("extend by +years", "extend +99999999999h"), "`+99999999999h` is too long"),
                Arguments.of(Named.of("extend by scientific notation", "extend 1e9m"), "`1e9m` is not a duration"));
    }

    @ParameterizedTest
    @MethodSource("outOfBounds")
    void refusesOutOfBoundsNumbersAsWritten(String text, String answer) {
        assertThat(CommandParser.parse(text)).isInstanceOfSatisfying(Command.Invalid.class,
                i -> assertThat(i.problem()).contains(answer));
    }

    /** Large but readable counts go through exactly, for validation to refuse with the cluster's bound. */
    static List<Arguments> largeButExact() {
        return List.of(
                Arguments.of("reserve h100 4096 2h", 4096),
                Arguments.of("reserve h100 64x64 2h", 4096),
                Arguments.of("reserve h100 00008 2h", 8),
                Arguments.of("reserve h100 99999 2h", null));
    }

    @ParameterizedTest
    @MethodSource("largeButExact")
    void keepsCountsExactUpToTheBound(String text, Integer gpus) {
        Command c = CommandParser.parse(text);
        if (gpus == null) {
            assertThat(c).isInstanceOf(Command.Invalid.class);
        } else {
            assertThat(c).isInstanceOfSatisfying(Command.Reserve.class, r -> assertThat(r.gpus()).isEqualTo(gpus));
        }
    }

    @ParameterizedTest
    @MethodSource("otherCommands")
    void readsOtherCommands(String text, Command expected) {
        assertThat(CommandParser.parse(text)).isEqualTo(expected);
    }

    static List<Arguments> otherCommands() {
        return List.of(
                Arguments.of("list", new Command.ListReservations(false)),
                Arguments.of("/gpu list all", new Command.ListReservations(true)),
                Arguments.of("cancel H100-7F3A", new Command.Cancel("h100-7f3a")),
                Arguments.of("cancel", new Command.Cancel(null)),
                Arguments.of("extend h100-7f3a 2h", new Command.Extend("h100-7f3a", Duration.ofHours(2))),
                Arguments.of("extend +1h", new Command.Extend(null, Duration.ofHours(1))),
                Arguments.of("", new Command.Help()),
                Arguments.of("admin drain node-1", new Command.Admin(new Command.AdminAction.Drain("node-1"))));
    }

    @ParameterizedTest
    @MethodSource("durations")
    void formatsDurationsAsPeopleWriteThem(Duration d, String text) {
        assertThat(Durations.format(d)).isEqualTo(text);
        assertThat(Durations.parse(text.replace(" ", ""))).contains(d);
    }

    static List<Arguments> durations() {
        return List.of(Arguments.of(Duration.ofHours(2), "2h"), Arguments.of(Duration.ofMinutes(90), "1h 30m"),
                Arguments.of(Duration.ofMinutes(45), "45m"));
    }
}
