package dev.gpudev.adapters.github.policy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class AccessPolicyTest {
    @Test
    void parsesConfigText() {
        AccessPolicy p = AccessPolicy.of(List.of("pytorch"), List.of("pytorch/dev-infra"), List.of("pytorch/pytorch:write", "meta/llama:Maintain"), "any", false);

        assertThat(p.teams()).containsExactly(new TeamRule("pytorch", "dev-infra"));
        assertThat(p.repos()).containsExactly(new RepoRule("pytorch", "pytorch", Permission.WRITE), new RepoRule("meta", "llama", Permission.MAINTAIN));
        assertThat(p.match()).isEqualTo(AccessPolicy.Match.ANY);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no rules and not allow-anyone          | ''        | ''               | ''                      | all  | false | github.policy.allow-anyone
            allow-anyone with rules                | pytorch   | ''               | ''                      | all  | true  | contradicts
            team without slug                      | ''        | pytorch          | ''                      | all  | false | org/team-slug
            repo without level                     | ''        | ''               | pytorch/pytorch         | all  | false | owner/name:level
            repo with unknown level                | ''        | ''               | pytorch/pytorch:owner   | all  | false | unknown permission
            repo rule of none                      | ''        | ''               | pytorch/pytorch:none    | all  | false | above none
            bad match                              | pytorch   | ''               | ''                      | most | false | all or any
            org with a slash                       | py/torch  | ''               | ''                      | all  | false | not a GitHub org
            """)
    void refusesBadConfig(String name, String org, String team, String repo, String match, boolean anyone, String message) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> AccessPolicy.of(org.isEmpty() ? List.of() : List.of(org), team.isEmpty() ? List.of() : List.of(team),
                        repo.isEmpty() ? List.of() : List.of(repo), match, anyone))
                .withMessageContaining(message);
    }

    @ParameterizedTest(name = "{0} >= {1} is {2}")
    @CsvSource({"admin,write,true", "maintain,write,true", "write,write,true", "triage,write,false", "read,triage,false", "push,write,true", "pull,read,true"})
    void ordersPermissions(String has, String needs, boolean ok) {
        assertThat(Permission.parse(has).orElseThrow().atLeast(Permission.parse(needs).orElseThrow())).isEqualTo(ok);
    }
}
