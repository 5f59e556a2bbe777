package dev.gpudev.scheduler.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerAccessTest {
    @Test
    void aJupyterOnLocalhostIsReachedByForwardingItsPortOverTheSshCommand() {
        assertThat(new ServerAccess("3.14.15.92", 30022, "dev", "http://localhost:9999/lab?token=t").jupyterTunnel())
                .contains("ssh -L 9999:localhost:9999 -p 30022 dev@3.14.15.92");
        assertThat(new ServerAccess("gpu-a.example.com", 22, "dev", "http://localhost:8888/lab?token=t").jupyterTunnel())
                .contains("ssh -L 8888:localhost:8888 dev@gpu-a.example.com");
    }

    @Test
    void anExposedOrMissingOrMangledJupyterNeedsNoTunnel() {
        assertThat(new ServerAccess("h", 22, "dev", "http://h:30888/lab?token=t").jupyterTunnel()).isEmpty();
        assertThat(new ServerAccess("h", 22, "dev", null).jupyterTunnel()).isEmpty();
        assertThat(new ServerAccess("h", 22, "dev", "not a url ^").jupyterTunnel()).isEmpty();
        assertThat(new ServerAccess("h", 22, "dev", "http://localhost/lab").jupyterTunnel()).isEmpty();
    }

    @Test
    void withoutJupyterKeepsTheSshAccess() {
        assertThat(new ServerAccess("h", 30022, "dev", "http://localhost:8888/lab?token=t").withoutJupyter())
                .isEqualTo(new ServerAccess("h", 30022, "dev", null));
    }
}
