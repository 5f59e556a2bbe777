package dev.gpudev.adapters.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Clock;
import java.util.List;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;

import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.port.StoreUnavailableException;

class DynamoSettingsTest {
    static final List<Arguments> INVALID = List.of(
            Arguments.of(Named.of("blank region", new String[]{" ", "", "r-table", "l-table"}), "region"),
            Arguments.of(Named.of("table name with a space", new String[]{"us-east-2", "", "my table", "l-table"}), "table names"),
            Arguments.of(Named.of("table name too short", new String[]{"us-east-2", "", "ab", "l-table"}), "table names"),
            Arguments.of(Named.of("one table for both", new String[]{"us-east-2", "", "same", "same"}), "must differ"),
            Arguments.of(Named.of("endpoint without a scheme", new String[]{"us-east-2", "localhost:8000", "r-table", "l-table"}), "endpoint"));

    @ParameterizedTest
    @FieldSource("INVALID")
    void badSettingsAreRefusedAtStartWithTheKeyToFix(String[] given, String complaint) {
        assertThatThrownBy(() -> new DynamoSettings(given[0], given[1], given[2], given[3], false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(complaint);
    }

    @Test
    void theDefaultsAreTheConfigContractsAndTalkToAwsItself() {
        DynamoSettings d = DynamoSettings.defaults();

        assertThat(d).isEqualTo(new DynamoSettings("us-east-2", "", "gpu-dev-reservations", "gpu-dev-links", false));
        assertThat(d.endpointUri()).isEmpty();
        assertThat(d.withTables("a-r", "a-l").endpointUri()).isEmpty();
        assertThat(new DynamoSettings("us-east-1", "http://localhost:8000", "r-t", "l-t", true).endpointUri())
                .contains(URI.create("http://localhost:8000"));
    }

    @Test
    void withoutCreateTablesAMissingTableIsReportedAsUnavailableNotCreated() {
        DynamoSettings settings = Dynalite.freshSettings();
        DynamoSettings production = new DynamoSettings(settings.region(), settings.endpoint(), settings.reservationsTable(),
                settings.linksTable(), false);
        try (var client = Dynalite.client(production)) {
            var store = new DynamoReservationStore(client, production, Clock.systemUTC());

            assertThatThrownBy(() -> store.find(new ReservationId("h100-0001"))).isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("read reservation h100-0001: a table or index is missing");
            assertThat(client.listTables().tableNames()).doesNotContain(production.reservationsTable());
        }
    }
}
