package dev.gpudev.scheduler.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** {@code --at} and {@code bookings} in the command language. */
class BookingCommandTest {
    record Case(String text, String at) {
    }

    static final List<Case> STARTS = List.of(
            new Case("reserve h100 8 4h --at \"thu 10:00\"", "thu 10:00"),
            new Case("reserve h100 8 4h --at thu 10:00", "thu 10:00"),
            new Case("reserve --at \u201ctomorrow 9am\u201d h100 8 4h", "tomorrow 9am"),
            new Case("reserve h100 8 4h --at 2026-12-10T10:00", "2026-12-10T10:00"),
            new Case("reserve h100 8 4h --at=14:30", "14:30"),
            new Case("reserve h100 8 4h --at in 10m --jupyter", "in 10m"),
            new Case("reserve h100 8 --at \"Thu 10:00\" 4h", "Thu 10:00"));

    @ParameterizedTest
    @FieldSource("STARTS")
    void readsTheStartAndTheRestOfTheRequest(Case c) {
        Command.Reserve r = (Command.Reserve) CommandParser.parse(c.text());
        assertThat(r.at()).isEqualTo(c.at());
        assertThat(r.gpuType()).isEqualTo("h100");
        assertThat(r.gpus()).isEqualTo(8);
        assertThat(r.duration()).isEqualTo(Duration.ofHours(4));
    }

    @Test
    void aMissingStartAndTheBookingsCommand() {
        assertThat(CommandParser.parse("reserve h100 8 4h --at")).isInstanceOfSatisfying(Command.Invalid.class,
                i -> assertThat(i.problem()).contains("`--at` needs a start"));
        assertThat(((Command.Reserve) CommandParser.parse("reserve h100 8 4h")).at()).isNull();
        assertThat(CommandParser.parse("bookings")).isEqualTo(new Command.Bookings(null));
        assertThat(CommandParser.parse("/gpu bookings H100")).isEqualTo(new Command.Bookings("h100"));
        assertThat(CommandParser.parse("bookings h100 b200")).isInstanceOf(Command.Invalid.class);
    }
}
