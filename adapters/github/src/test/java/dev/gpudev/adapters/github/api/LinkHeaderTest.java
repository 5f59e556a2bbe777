package dev.gpudev.adapters.github.api;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;

class LinkHeaderTest {
    static List<Arguments> headers() {
        return List.of(
                Arguments.of(named("first page", "<https://api.github.com/user/1/keys?page=2>; rel=\"next\", <https://api.github.com/user/1/keys?page=5>; rel=\"last\""),
                        Optional.of(URI.create("https://api.github.com/user/1/keys?page=2"))),
                Arguments.of(named("middle page, next not first", "<https://api.github.com/user/1/keys?page=1>; rel=\"prev\", <https://api.github.com/user/1/keys?page=3>; rel=\"next\", <https://api.github.com/user/1/keys?page=5>; rel=\"last\", <https://api.github.com/user/1/keys?page=1>; rel=\"first\""),
                        Optional.of(URI.create("https://api.github.com/user/1/keys?page=3"))),
                Arguments.of(named("last page", "<https://api.github.com/user/1/keys?page=4>; rel=\"prev\", <https://api.github.com/user/1/keys?page=1>; rel=\"first\""),
                        Optional.empty()),
                Arguments.of(named("several relations in one", "<https://api.github.com/x?page=2>; rel=\"next last\""),
                        Optional.of(URI.create("https://api.github.com/x?page=2"))),
                Arguments.of(named("nextish is not next", "<https://api.github.com/x?page=2>; rel=\"nextish\""), Optional.empty()),
                Arguments.of(named("garbage", "not a link header"), Optional.empty()));
    }

    @ParameterizedTest
    @MethodSource("headers")
    void findsNext(String header, Optional<URI> expected) {
        assertThat(LinkHeader.next(header)).isEqualTo(expected);
    }
}
