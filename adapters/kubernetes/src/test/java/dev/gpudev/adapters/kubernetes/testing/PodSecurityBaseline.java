package dev.gpudev.adapters.kubernetes.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.AppArmorProfile;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SELinuxOptions;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Sysctl;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.WindowsSecurityContextOptions;

/**
 * The Pod Security Standards' {@code baseline} level as a check of a pod, written from the published standard
 * (https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline), because the fabric8 mock API server
 * admits any pod. Where later Kubernetes versions allow more (sysctls since 1.27/1.29, SELinux {@code container_engine_t}
 * since 1.31), this check keeps the oldest, narrower list: a pod it passes is admitted by every version.
 */
public final class PodSecurityBaseline {
    /** Capabilities a baseline pod may add. */
    public static final Set<String> CAPABILITIES = Set.of("AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL",
            "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT");
    static final Set<String> SYSCTLS = Set.of("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
            "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range");
    static final Set<String> SELINUX_TYPES = Set.of("", "container_t", "container_init_t", "container_kvm_t");
    static final String APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/";

    private PodSecurityBaseline() {
    }

    /** What in the pod the baseline level forbids, one line per violation; empty when the pod is admitted. */
    public static List<String> violations(Pod pod) {
        List<String> v = new ArrayList<>();
        PodSpec spec = pod.getSpec();
        if (isTrue(spec.getHostNetwork())) {
            v.add("host namespaces: hostNetwork");
        }
        if (isTrue(spec.getHostPID())) {
            v.add("host namespaces: hostPID");
        }
        if (isTrue(spec.getHostIPC())) {
            v.add("host namespaces: hostIPC");
        }
        for (Volume volume : list(spec.getVolumes())) {
            if (volume.getHostPath() != null) {
                v.add("hostPath volume: " + volume.getName());
            }
        }
        Map<String, String> annotations = pod.getMetadata() == null ? null : pod.getMetadata().getAnnotations();
        if (annotations != null) {
            annotations.forEach((k, value) -> {
                if (k.startsWith(APPARMOR_ANNOTATION) && !value.equals("runtime/default") && !value.startsWith("localhost/")) {
                    v.add("AppArmor annotation " + k + ": " + value);
                }
            });
        }
        PodSecurityContext psc = spec.getSecurityContext();
        if (psc != null) {
            hostProcess(psc.getWindowsOptions(), "pod", v);
            seLinux(psc.getSeLinuxOptions(), "pod", v);
            seccomp(psc.getSeccompProfile(), "pod", v);
            appArmor(psc.getAppArmorProfile(), "pod", v);
            for (Sysctl s : list(psc.getSysctls())) {
                if (!SYSCTLS.contains(s.getName())) {
                    v.add("sysctl: " + s.getName());
                }
            }
        }
        Stream.of(
                list(spec.getContainers()).stream().map(c -> new Named(c.getName(), c.getSecurityContext(), c.getPorts())),
                list(spec.getInitContainers()).stream().map(c -> new Named(c.getName(), c.getSecurityContext(), c.getPorts())),
                list(spec.getEphemeralContainers()).stream().map(c -> new Named(c.getName(), c.getSecurityContext(), c.getPorts())))
                .flatMap(s -> s)
                .forEach(c -> container(c, v));
        return v;
    }

    private record Named(String name, SecurityContext sc, List<ContainerPort> ports) {
    }

    private static void container(Named c, List<String> v) {
        String where = "container " + c.name();
        for (ContainerPort p : list(c.ports())) {
            if (p.getHostPort() != null && p.getHostPort() != 0) {
                v.add("hostPort " + p.getHostPort() + " in " + where);
            }
        }
        SecurityContext sc = c.sc();
        if (sc == null) {
            return;
        }
        if (isTrue(sc.getPrivileged())) {
            v.add("privileged " + where);
        }
        Capabilities caps = sc.getCapabilities();
        if (caps != null) {
            for (String add : list(caps.getAdd())) {
                if (!CAPABILITIES.contains(add)) {
                    v.add("capability " + add + " added in " + where);
                }
            }
        }
        if (sc.getProcMount() != null && !sc.getProcMount().equals("Default")) {
            v.add("procMount " + sc.getProcMount() + " in " + where);
        }
        hostProcess(sc.getWindowsOptions(), where, v);
        seLinux(sc.getSeLinuxOptions(), where, v);
        seccomp(sc.getSeccompProfile(), where, v);
        appArmor(sc.getAppArmorProfile(), where, v);
    }

    private static void hostProcess(WindowsSecurityContextOptions w, String where, List<String> v) {
        if (w != null && isTrue(w.getHostProcess())) {
            v.add("hostProcess in " + where);
        }
    }

    private static void seLinux(SELinuxOptions o, String where, List<String> v) {
        if (o == null) {
            return;
        }
        if (o.getType() != null && !SELINUX_TYPES.contains(o.getType())) {
            v.add("SELinux type " + o.getType() + " in " + where);
        }
        if (o.getUser() != null && !o.getUser().isEmpty()) {
            v.add("SELinux user " + o.getUser() + " in " + where);
        }
        if (o.getRole() != null && !o.getRole().isEmpty()) {
            v.add("SELinux role " + o.getRole() + " in " + where);
        }
    }

    private static void seccomp(SeccompProfile p, String where, List<String> v) {
        if (p != null && "Unconfined".equals(p.getType())) {
            v.add("seccomp Unconfined in " + where);
        }
    }

    private static void appArmor(AppArmorProfile p, String where, List<String> v) {
        if (p != null && p.getType() != null && !Set.of("RuntimeDefault", "Localhost").contains(p.getType())) {
            v.add("AppArmor " + p.getType() + " in " + where);
        }
    }

    private static boolean isTrue(Boolean b) {
        return Boolean.TRUE.equals(b);
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }
}
