package dev.gpudev.scheduler.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.gpudev.scheduler.command.Command.DiskAction;

class DiskCommandsTest {

    static List<Arguments> diskForms() {
        return List.of(
                Arguments.of(Named.of("bare", "/gpu disk"), new DiskAction.ListDisks()),
                Arguments.of(Named.of("list", "/gpu disk list"), new DiskAction.ListDisks()),
                Arguments.of(Named.of("plural verb", "disks ls"), new DiskAction.ListDisks()),
                Arguments.of(Named.of("create in GiB", "/gpu disk create data 100"), new DiskAction.Create("data", 100)),
                Arguments.of(Named.of("create with G", "disk create data 100G"), new DiskAction.Create("data", 100)),
                Arguments.of(Named.of("create with Gi", "disk create data 250Gi"), new DiskAction.Create("data", 250)),
                Arguments.of(Named.of("create in TiB", "disk create ckpt 1T"), new DiskAction.Create("ckpt", 1024)),
                Arguments.of(Named.of("delete asks first", "disk delete data"), new DiskAction.Delete("data", false)),
                Arguments.of(Named.of("snapshot", "disk snapshot data"), new DiskAction.Snapshot("data")),
                Arguments.of(Named.of("snapshots", "disk snapshots home"), new DiskAction.Snapshots("home")),
                Arguments.of(Named.of("restore newest", "disk restore data"), new DiskAction.Restore("data", null)),
                Arguments.of(Named.of("restore one", "disk restore data end-h100-7f3a"), new DiskAction.Restore("data", "end-h100-7f3a")));
    }

    @ParameterizedTest
    @MethodSource("diskForms")
    void readsEveryDiskForm(String text, DiskAction action) {
        assertThat(CommandParser.parse(text)).isEqualTo(new Command.Disk(action));
    }

    static List<Arguments> wrongForms() {
        return List.of(
                Arguments.of(Named.of("no size", "disk create data"), "needs a name and a size"),
                Arguments.of(Named.of("size not a number", "disk create data big"), "`big` is not a size"),
                Arguments.of(Named.of("zero size", "disk create data 0"), "`0` is not a size"),
                Arguments.of(Named.of("delete two", "disk delete a b"), "takes one disk name"),
                Arguments.of(Named.of("restore nothing", "disk restore"), "takes a disk name"),
                Arguments.of(Named.of("unknown verb", "disk format data"), "I don't know `disk format`"));
    }

    @ParameterizedTest
    @MethodSource("wrongForms")
    void refusesWhatItCannotReadWithWhatWouldWork(String text, String problem) {
        assertThat(CommandParser.parse(text)).isInstanceOfSatisfying(Command.Invalid.class, i -> {
            assertThat(i.problem()).contains(problem);
            assertThat(i.problem()).containsPattern("/gpu disk|disk create|disk delete|disk restore");
        });
    }

    @Test
    void reserveTakesADisk() {
        assertThat(CommandParser.parse("/gpu reserve h100 4 2h --disk data")).isInstanceOfSatisfying(Command.Reserve.class,
                r -> assertThat(r.disk()).isEqualTo("data"));
        assertThat(CommandParser.parse("/gpu reserve h100 4 2h --disk=Data --jupyter")).isInstanceOfSatisfying(Command.Reserve.class,
                r -> assertThat(r.disk()).isEqualTo("Data"));
        assertThat(CommandParser.parse("/gpu reserve h100 4 2h")).isInstanceOfSatisfying(Command.Reserve.class,
                r -> assertThat(r.disk()).isNull());
        assertThat(CommandParser.parse("/gpu reserve h100 4 2h --disk")).isInstanceOfSatisfying(Command.Invalid.class,
                i -> assertThat(i.problem()).contains("`--disk` needs a value"));
    }
}
