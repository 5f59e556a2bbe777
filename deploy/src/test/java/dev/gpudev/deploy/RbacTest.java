package dev.gpudev.deploy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;

class RbacTest {
    private static final Rendered DEFAULTS = Chart.render();

    static Stream<Named<Map<String, Object>>> settings() {
        return Stream.of(
                named("defaults", Map.of()),
                named("no cluster-wide pods, no network policies",
                        Map.of("rbac.readPodsClusterWide", false, "rbac.manageNetworkPolicies", false)),
                named("other lease and servers namespace",
                        Map.of("leaderElection.leaseName", "bot-lease", "servers.namespace", "gpu-boxes")));
    }

    @ParameterizedTest
    @MethodSource("settings")
    void noWildcardAnywhere(Map<String, Object> sets) {
        var rendered = Chart.render(sets);

        assertThat(rules(rendered)).isNotEmpty().allSatisfy(rule -> {
            assertThat(rule.getVerbs()).isNotEmpty().doesNotContain("*");
            assertThat(rule.getResources()).isNotEmpty().doesNotContain("*").noneMatch(r -> r.endsWith("/*"));
            assertThat(rule.getApiGroups()).doesNotContain("*");
            assertThat(rule.getNonResourceURLs()).isEmpty();
        });
    }

    @ParameterizedTest
    @MethodSource("settings")
    void clusterWideGrantsOnlyRead(Map<String, Object> sets) {
        var rendered = Chart.render(sets);

        assertThat(rendered.all(ClusterRole.class)).flatMap(ClusterRole::getRules).allSatisfy(rule -> {
            assertThat(rule.getVerbs()).isSubsetOf("get", "list", "watch");
            assertThat(rule.getResources()).isSubsetOf("nodes", "pods", "persistentvolumes");
            if (rule.getResources().contains("persistentvolumes")) {
                // a disk's zone: one volume by name, never the list of everyone's volumes
                assertThat(rule.getVerbs()).containsExactly("get");
            }
        });
    }

    @Test
    void serversRoleGrantsExactlyWhatTheBotDoes() {
        Role role = DEFAULTS.all(Role.class).stream()
                .filter(r -> r.getMetadata().getNamespace().equals(Chart.SERVERS)).findFirst().orElseThrow();

        assertThat(grants(role.getRules())).containsExactlyInAnyOrderEntriesOf(Map.of(
                "/pods", List.of("get", "list", "watch", "create", "delete", "deletecollection"),
                "/services", List.of("get", "list", "watch", "create", "delete", "deletecollection"),
                "/secrets", List.of("get", "list", "watch", "create", "delete", "deletecollection"),
                "/pods/log", List.of("get"),
                "/persistentvolumeclaims", List.of("get", "list", "watch", "create", "delete"),
                "snapshot.storage.k8s.io/volumesnapshots", List.of("get", "list", "watch", "create", "delete"),
                "/pods/exec", List.of("create", "get"),
                "/events", List.of("get", "list", "watch"),
                "events.k8s.io/events", List.of("get", "list", "watch"),
                "networking.k8s.io/networkpolicies", List.of("get", "list", "create", "delete", "deletecollection")));
    }

    @Test
    void secretsAreReachableOnlyInTheServersNamespace() {
        assertThat(DEFAULTS.all(Role.class)).allSatisfy(role -> {
            if (!role.getMetadata().getNamespace().equals(Chart.SERVERS)) {
                assertThat(role.getRules()).flatMap(PolicyRule::getResources).doesNotContain("secrets");
            }
        });
        assertThat(DEFAULTS.all(ClusterRole.class)).flatMap(ClusterRole::getRules)
                .flatMap(PolicyRule::getResources).doesNotContain("secrets");
    }

    @Test
    void leaseIsWritableOnlyByName() {
        Role role = DEFAULTS.one(Role.class, "gpu-dev-bot-leader-election");

        assertThat(role.getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE);
        assertThat(role.getRules()).filteredOn(rule -> rule.getResources().contains("leases")).hasSize(2).allSatisfy(rule -> {
            assertThat(rule.getResources()).containsExactly("leases");
            if (!rule.getVerbs().equals(List.of("create"))) {
                assertThat(rule.getResourceNames()).containsExactly("gpu-dev-bot");
            }
        });
    }

    /** The leader labels its own pod for the Service; the generated pod name cannot be a resourceName. */
    @Test
    void inItsOwnNamespaceTheBotMayOnlyReadAndPatchPods() {
        Role role = DEFAULTS.one(Role.class, "gpu-dev-bot-leader-election");

        assertThat(grants(role.getRules())).containsExactlyInAnyOrderEntriesOf(Map.of(
                "coordination.k8s.io/leases", List.of("create", "get", "update", "patch"),
                "/pods", List.of("get", "patch")));
    }

    @Test
    void everyBindingNamesTheBotsServiceAccount() {
        Stream<List<Subject>> subjects = Stream.concat(
                DEFAULTS.all(RoleBinding.class).stream().map(RoleBinding::getSubjects),
                DEFAULTS.all(ClusterRoleBinding.class).stream().map(ClusterRoleBinding::getSubjects));

        assertThat(subjects).allSatisfy(s -> assertThat(s).singleElement().satisfies(subject -> {
            assertThat(subject.getKind()).isEqualTo("ServiceAccount");
            assertThat(subject.getName()).isEqualTo("gpu-dev-bot");
            assertThat(subject.getNamespace()).isEqualTo(Chart.NAMESPACE);
        }));
    }

    private static List<PolicyRule> rules(Rendered rendered) {
        return Stream.concat(
                rendered.all(Role.class).stream().flatMap(r -> r.getRules().stream()),
                rendered.all(ClusterRole.class).stream().flatMap(r -> r.getRules().stream())).toList();
    }

    private static Map<String, List<String>> grants(List<PolicyRule> rules) {
        var grants = new LinkedHashMap<String, List<String>>();
        for (PolicyRule rule : rules) {
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    grants.merge(group + "/" + resource, rule.getVerbs(),
                            (a, b) -> Stream.concat(a.stream(), b.stream()).toList());
                }
            }
        }
        return grants;
    }
}
