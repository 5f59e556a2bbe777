package dev.gpudev.bot.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class ThreadsTest {
    @Test
    void platformThreadsAreNamedDaemons() throws Exception {
        var pool = Threads.scheduled("cluster", 2);
        try {
            Thread t = pool.submit(Thread::currentThread).get(10, TimeUnit.SECONDS);

            assertThat(t.isDaemon()).isTrue();
            assertThat(t.getName()).isEqualTo("cluster-0");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSerialExecutorRunsInOrderOnOneThread() throws Exception {
        var serial = Threads.serial("ticker");
        try {
            var first = serial.submit(Thread::currentThread).get(10, TimeUnit.SECONDS);
            var second = serial.submit(Thread::currentThread).get(10, TimeUnit.SECONDS);

            assertThat(first).isSameAs(second);
            assertThat(first.isDaemon()).isTrue();
        } finally {
            serial.shutdownNow();
        }
    }

    @Test
    void virtualThreadsAreNamedToo() throws Exception {
        try (ExecutorService work = Threads.virtual("slack-work")) {
            Thread t = CompletableFuture.supplyAsync(Thread::currentThread, work).get(10, TimeUnit.SECONDS);

            assertThat(t.isVirtual()).isTrue();
            assertThat(t.getName()).startsWith("slack-work-");
        }
    }
}
