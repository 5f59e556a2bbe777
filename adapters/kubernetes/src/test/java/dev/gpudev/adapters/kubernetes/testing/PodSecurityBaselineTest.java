package dev.gpudev.adapters.kubernetes.testing;

import java.util.List;
import java.util.function.UnaryOperator;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The checker itself: each baseline control refuses what the standard forbids and admits what it allows. */
class PodSecurityBaselineTest {
    static Pod minimal() {
        return new PodBuilder().withNewMetadata().withName("p").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().build();
    }

    static Arguments change(String name, UnaryOperator<PodBuilder> f, String expected) {
        return arguments(Named.of(name, f), expected);
    }

    static List<Arguments> forbidden() {
        return List.of(
                change("hostNetwork", b -> b.editSpec().withHostNetwork(true).endSpec(), "hostNetwork"),
                change("hostPID", b -> b.editSpec().withHostPID(true).endSpec(), "hostPID"),
                change("hostIPC", b -> b.editSpec().withHostIPC(true).endSpec(), "hostIPC"),
                change("privileged", b -> b.editSpec().editFirstContainer().withNewSecurityContext().withPrivileged(true)
                        .endSecurityContext().endContainer().endSpec(), "privileged"),
                change("IPC_LOCK", b -> b.editSpec().editFirstContainer().withNewSecurityContext().withNewCapabilities()
                        .addToAdd("IPC_LOCK").endCapabilities().endSecurityContext().endContainer().endSpec(), "IPC_LOCK"),
                change("NET_RAW added in an init container", b -> b.editSpec().addNewInitContainer().withName("i")
                        .withNewSecurityContext().withNewCapabilities().addToAdd("NET_RAW").endCapabilities().endSecurityContext()
                        .endInitContainer().endSpec(), "NET_RAW"),
                change("SYS_ADMIN in an ephemeral container", b -> b.editSpec().addNewEphemeralContainer().withName("e")
                        .withNewSecurityContext().withNewCapabilities().addToAdd("SYS_ADMIN").endCapabilities().endSecurityContext()
                        .endEphemeralContainer().endSpec(), "SYS_ADMIN"),
                change("hostPath", b -> b.editSpec().addNewVolume().withName("root").withNewHostPath().withPath("/").endHostPath()
                        .endVolume().endSpec(), "hostPath"),
                change("hostPort", b -> b.editSpec().editFirstContainer().addNewPort().withContainerPort(22).withHostPort(2222)
                        .endPort().endContainer().endSpec(), "hostPort"),
                change("hostProcess", b -> b.editSpec().withNewSecurityContext().withNewWindowsOptions().withHostProcess(true)
                        .endWindowsOptions().endSecurityContext().endSpec(), "hostProcess"),
                change("AppArmor unconfined annotation", b -> b.editMetadata()
                        .addToAnnotations("container.apparmor.security.beta.kubernetes.io/c", "unconfined").endMetadata(), "AppArmor"),
                change("AppArmor Unconfined field", b -> b.editSpec().editFirstContainer().withNewSecurityContext()
                        .withNewAppArmorProfile().withType("Unconfined").endAppArmorProfile().endSecurityContext().endContainer()
                        .endSpec(), "AppArmor"),
                change("SELinux type", b -> b.editSpec().withNewSecurityContext().withNewSeLinuxOptions().withType("spc_t")
                        .endSeLinuxOptions().endSecurityContext().endSpec(), "SELinux type"),
                change("SELinux user", b -> b.editSpec().editFirstContainer().withNewSecurityContext().withNewSeLinuxOptions()
                        .withUser("system_u").endSeLinuxOptions().endSecurityContext().endContainer().endSpec(), "SELinux user"),
                change("SELinux role", b -> b.editSpec().editFirstContainer().withNewSecurityContext().withNewSeLinuxOptions()
                        .withRole("sysadm_r").endSeLinuxOptions().endSecurityContext().endContainer().endSpec(), "SELinux role"),
                change("procMount", b -> b.editSpec().editFirstContainer().withNewSecurityContext().withProcMount("Unmasked")
                        .endSecurityContext().endContainer().endSpec(), "procMount"),
                change("seccomp Unconfined (pod)", b -> b.editSpec().withNewSecurityContext().withNewSeccompProfile()
                        .withType("Unconfined").endSeccompProfile().endSecurityContext().endSpec(), "seccomp"),
                change("seccomp Unconfined (container)", b -> b.editSpec().editFirstContainer().withNewSecurityContext()
                        .withNewSeccompProfile().withType("Unconfined").endSeccompProfile().endSecurityContext().endContainer()
                        .endSpec(), "seccomp"),
                change("unsafe sysctl", b -> b.editSpec().withNewSecurityContext().addNewSysctl().withName("kernel.msgmax")
                        .withValue("65536").endSysctl().endSecurityContext().endSpec(), "sysctl"));
    }

    @ParameterizedTest
    @MethodSource("forbidden")
    void refusesWhatBaselineForbids(UnaryOperator<PodBuilder> change, String expected) {
        assertThat(PodSecurityBaseline.violations(change.apply(new PodBuilder(minimal())).build()))
                .singleElement().asString().contains(expected);
    }

    @Test
    void admitsTheDefaultPodAndWhatBaselineAllows() {
        assertThat(PodSecurityBaseline.violations(minimal())).isEmpty();
        Pod allowed = new PodBuilder(minimal())
                .editMetadata().addToAnnotations("container.apparmor.security.beta.kubernetes.io/c", "runtime/default").endMetadata()
                .editSpec().withHostNetwork(false)
                .withNewSecurityContext().withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .addNewSysctl().withName("net.ipv4.ip_unprivileged_port_start").withValue("0").endSysctl()
                .withNewSeLinuxOptions().withType("container_t").withLevel("s0:c1,c2").endSeLinuxOptions().endSecurityContext()
                .editFirstContainer().addNewPort().withContainerPort(22).endPort()
                .withNewSecurityContext().withPrivileged(false).withProcMount("Default")
                .withNewCapabilities().addToDrop("ALL").addAllToAdd(PodSecurityBaseline.CAPABILITIES).endCapabilities()
                .endSecurityContext().endContainer()
                .addNewVolume().withName("scratch").withNewEmptyDir().endEmptyDir().endVolume()
                .endSpec().build();
        assertThat(PodSecurityBaseline.violations(allowed)).isEmpty();
    }
}
