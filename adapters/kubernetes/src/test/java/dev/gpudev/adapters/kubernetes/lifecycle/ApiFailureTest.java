package dev.gpudev.adapters.kubernetes.lifecycle;

import java.io.IOException;
import java.util.List;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import dev.gpudev.scheduler.port.ProvisionException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which API failures provisioning waits out and which fail the reservation; the mock-server cases are in ProvisionFailureTest. */
class ApiFailureTest {
    static final List<Named<KubernetesClientException>> TRANSIENT = List.of(
            Named.of("connection reset (no answer)", new KubernetesClientException("Connection reset", new IOException("Connection reset"))),
            Named.of("500", answered(500)), Named.of("502", answered(502)), Named.of("503", answered(503)), Named.of("504", answered(504)),
            Named.of("429 throttled", answered(429)), Named.of("409 conflict", answered(409)), Named.of("408 timeout", answered(408)));
    static final List<Named<KubernetesClientException>> PERMANENT = List.of(Named.of("400", answered(400)), Named.of("401", answered(401)),
            Named.of("403", answered(403)), Named.of("404", answered(404)), Named.of("422", answered(422)));

    static KubernetesClientException answered(int code) {
        return new KubernetesClientException(new StatusBuilder().withCode(code).withReason("x").withMessage("the API's words").build());
    }

    @ParameterizedTest
    @FieldSource("TRANSIENT")
    void waitedOut(KubernetesClientException e) {
        assertThat(ApiFailure.of(e)).isInstanceOf(ProvisionException.Transient.class);
    }

    @ParameterizedTest
    @FieldSource("PERMANENT")
    void failTheReservationWithTheApisMessage(KubernetesClientException e) {
        assertThat(ApiFailure.of(e)).isInstanceOf(ProvisionException.Permanent.class)
                .extracting(ProvisionException::reason).asString().endsWith("): the API's words");
    }
}
