package com.kfood.ops.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class FuturesTest {
    @Test
    void aResultIsReturned() {
        assertThat(Futures.join(CompletableFuture.completedFuture("done"), "task"))
                .isEqualTo("done");
    }

    @Test
    void whatTheTaskThrewIsThrownAsIs() {
        IllegalArgumentException thrown = new IllegalArgumentException("bad");
        assertThatThrownBy(() -> Futures.join(CompletableFuture.failedFuture(thrown), "task"))
                .isSameAs(thrown);
        AssertionError error = new AssertionError("broken");
        assertThatThrownBy(() -> Futures.join(CompletableFuture.failedFuture(error), "task"))
                .isSameAs(error);
    }

    @Test
    void daemonThreadsAreNamedAndNeverHoldTheRuntime() {
        Thread t = Futures.daemonThreads("prune-rds").newThread(() -> {});
        assertThat(t.getName()).isEqualTo("prune-rds");
        assertThat(t.isDaemon()).isTrue();
    }

    @Test
    void aCheckedFailureIsWrappedWithTheTasksName() {
        assertThatThrownBy(() -> Futures.join(CompletableFuture.failedFuture(new IOException("disk")), "the copy"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the copy failed")
                .hasRootCauseMessage("disk");
    }
}
