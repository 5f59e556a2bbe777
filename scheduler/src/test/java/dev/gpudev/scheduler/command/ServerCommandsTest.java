package dev.gpudev.scheduler.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import dev.gpudev.scheduler.model.ReservationState;

/** {@code list} with filters, {@code logs}, {@code edit}, {@code ssh-config} and {@code cancel --all} as typed. */
class ServerCommandsTest {
    record Read(String text, Command command) {
    }

    static final List<Named<Read>> READ = List.of(
            Named.of("list as before", new Read("list", new Command.ListReservations(false))),
            Named.of("ended ones", new Read("list --state ended", new Command.ListReservations(false, Set.of(ReservationState.ENDED), null, 1))),
            Named.of("several states and a page", new Read("/gpu list --state=queued,Ready --page 3",
                    new Command.ListReservations(false, Set.of(ReservationState.QUEUED, ReservationState.ACTIVE), null, 3))),
            Named.of("someone's", new Read("list <@U0BO|bo> --state starting",
                    new Command.ListReservations(false, Set.of(ReservationState.PROVISIONING), "<@U0BO|bo>", 1))),
            Named.of("everyone's ready ones", new Read("list all --state ready",
                    new Command.ListReservations(true, Set.of(ReservationState.ACTIVE), null, 1))),
            Named.of("logs", new Read("logs H100-7F3A", new Command.Logs("h100-7f3a", 100))),
            Named.of("logs, lines", new Read("logs llama 300", new Command.Logs("llama", 300))),
            Named.of("logs, lines capped", new Read("logs llama 100000", new Command.Logs("llama", 500))),
            Named.of("ssh-config", new Read("ssh-config", new Command.SshConfig())),
            Named.of("cancel all", new Read("cancel --all", new Command.CancelAll())),
            Named.of("edit", new Read("edit llama --add-user @octocat,hubot --remove-user=mona",
                    new Command.Edit("llama", List.of("octocat", "hubot"), List.of("mona"), null))),
            Named.of("edit jupyter", new Read("edit h100-7f3a --jupyter off", new Command.Edit("h100-7f3a", List.of(), List.of(), false))));

    static final List<Named<Read>> REFUSED = List.of(
            Named.of("an unknown state", new Read("list --state sleeping", new Command.Invalid("", "`sleeping` is not a state"))),
            Named.of("page zero", new Read("list --page 0", new Command.Invalid("", "pages count from 1"))),
            Named.of("a page that is no number", new Read("list --page two", new Command.Invalid("", "pages count from 1"))),
            Named.of("everyone's, paged", new Read("list all --page 2", new Command.Invalid("", "on one page"))),
            Named.of("a stray word", new Read("list mine", new Command.Invalid("", "I can't read `mine`"))),
            Named.of("logs without id", new Read("logs", new Command.Invalid("", "takes a reservation id"))),
            Named.of("logs, lines not a number", new Read("logs x -5", new Command.Invalid("", "is not a number of lines"))),
            Named.of("edit without change", new Read("edit h100-7f3a", new Command.Invalid("", "Nothing to change"))),
            Named.of("edit without id", new Read("edit --add-user octocat", new Command.Invalid("", "Which reservation?"))),
            Named.of("edit, two ids", new Read("edit a b --add-user x", new Command.Invalid("", "one reservation at a time"))),
            Named.of("edit, unknown flag", new Read("edit a --image x", new Command.Invalid("", "Unknown option `--image`"))),
            Named.of("edit, jupyter maybe", new Read("edit a --jupyter maybe", new Command.Invalid("", "takes `on` or `off`"))),
            Named.of("ssh-config with words", new Read("ssh-config mine", new Command.Invalid("", "takes nothing"))));

    @ParameterizedTest
    @FieldSource("READ")
    void reads(Read r) {
        assertThat(CommandParser.parse(r.text())).isEqualTo(r.command());
    }

    @ParameterizedTest
    @FieldSource("REFUSED")
    void refusesWithWhatWouldWork(Read r) {
        assertThat(CommandParser.parse(r.text())).isInstanceOfSatisfying(Command.Invalid.class,
                i -> assertThat(i.problem()).contains(((Command.Invalid) r.command()).problem()));
    }
}
