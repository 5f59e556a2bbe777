package dev.gpudev.adapters.kubernetes.lifecycle;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;

import dev.gpudev.scheduler.port.ProvisionException;

/**
 * What a failed API call means for provisioning. No answer, 5xx, 429 (throttled), 408 and 409 (a conflict that the
 * next create-if-absent settles) pass: the API server is restarting, failing over or busy. Any other 4xx is the API
 * refusing the request as it stands (403 Forbidden, e.g. by RBAC or a quota; 422 Invalid; a pod Pod Security refuses)
 * and fails the reservation with the API's own message.
 */
public final class ApiFailure {
    private ApiFailure() {
    }

    public static ProvisionException of(KubernetesClientException e) {
        int code = e.getCode();
        if (transientCode(code)) {
            return ProvisionException.retryable(code <= 0 ? "the Kubernetes API could not be reached"
                    : "the Kubernetes API is unavailable (HTTP " + code + ")", e);
        }
        return ProvisionException.permanent("Kubernetes refused the server (HTTP " + code + "): " + message(e), e);
    }

    static boolean transientCode(int code) {
        return code <= 0 || code >= 500 || code == 408 || code == 409 || code == 429;
    }

    private static String message(KubernetesClientException e) {
        Status status = e.getStatus();
        if (status != null && status.getMessage() != null && !status.getMessage().isBlank()) {
            return status.getMessage();
        }
        return String.valueOf(e.getMessage());
    }
}
