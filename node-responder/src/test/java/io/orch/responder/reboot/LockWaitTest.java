package io.orch.responder.reboot;

import static io.orch.responder.Fixture.write;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Waiting for config-management runs, below a fixture root, with short bounds. */
class LockWaitTest {
    private static final String PUPPET = "/var/lib/puppet/state/agent_catalog_run.lock";
    private static final String CHEF = "/var/run/chef/client.pid";
    private static final Duration POLL = Duration.ofMillis(20);
    /** Longer than any test should take: a wait that ends before it ended for another reason. */
    private static final Duration LONG = Duration.ofMinutes(10);

    @TempDir
    Path root;

    private final ExecutorService other = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopOther() {
        other.shutdownNow();
    }

    private LockWait locks(Duration maxWait) {
        return new LockWait(root, List.of(PUPPET, CHEF), maxWait, POLL);
    }

    private Path lock(String path) {
        return write(root, path.substring(1), "12345\n");
    }

    @Test
    void noLockPresentReturnsNullAtOnceWithoutAskingWhetherCancelled() throws Exception {
        AtomicInteger asked = new AtomicInteger();

        String lock = locks(LONG).await(() -> asked.incrementAndGet() > 0 && false);

        assertNull(lock);
        assertEquals(0, asked.get(), "nothing to wait for, so no poll");
    }

    @Test
    void lockRemovedByAnotherThreadWhileWaitingReturnsNull() throws Exception {
        Path file = lock(PUPPET);
        LockWait locks = locks(LONG);
        AtomicInteger polls = new AtomicInteger();
        AtomicBoolean removed = new AtomicBoolean();
        other.submit(() -> {
            await().atMost(Duration.ofSeconds(30)).until(() -> polls.get() >= 3); // the waiter has seen the lock
            Files.delete(file);
            removed.set(true);
            return null;
        });

        String lock = locks.await(() -> {
            polls.incrementAndGet();
            return false;
        });

        assertNull(lock);
        assertTrue(removed.get(), "returned only after the lock was gone");
        assertTrue(polls.get() >= 3, "it waited: " + polls.get() + " polls");
    }

    @Test
    void lockStillPresentAtTheBoundReturnsTheLockPathAsConfigured() throws Exception {
        lock(CHEF);

        String lock = locks(Duration.ofMillis(300)).await(() -> false);

        assertEquals(CHEF, lock);
    }

    @Test
    void zeroWaitWithALockPresentReturnsTheLockWithoutWaiting() throws Exception {
        lock(PUPPET);

        assertEquals(PUPPET, locks(Duration.ZERO).await(() -> false));
    }

    @Test
    void cancelledBeforeTheWaitReturnsNullPromptly() throws Exception {
        lock(PUPPET);
        LockWait locks = locks(LONG);

        Future<String> waited = CompletableFuture.supplyAsync(() -> {
            try {
                return locks.await(() -> true);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, other);

        assertNull(waited.get(30, TimeUnit.SECONDS));
    }

    @Test
    void cancelledDuringTheWaitReturnsNullLongBeforeTheBound() throws Exception {
        lock(PUPPET);
        LockWait locks = locks(LONG);
        AtomicBoolean cancelled = new AtomicBoolean();
        AtomicInteger polls = new AtomicInteger();
        Future<String> waited = CompletableFuture.supplyAsync(() -> {
            try {
                return locks.await(() -> polls.incrementAndGet() > 0 && cancelled.get());
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, other);
        await().atMost(Duration.ofSeconds(30)).until(() -> polls.get() >= 2);
        assertFalse(waited.isDone(), "still waiting for the lock");

        cancelled.set(true);

        assertNull(waited.get(30, TimeUnit.SECONDS));
        assertTrue(Files.exists(root.resolve(PUPPET.substring(1))), "the lock is still there");
    }

    @Test
    void interruptedWaitThrowsInterruptedException() throws Exception {
        lock(PUPPET);
        LockWait locks = locks(LONG);
        AtomicInteger polls = new AtomicInteger();
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Future<?> waiting = other.submit(() -> {
            try {
                locks.await(() -> polls.incrementAndGet() < 0);
                thrown.complete(null);
            } catch (InterruptedException e) {
                thrown.complete(e);
            }
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> polls.get() >= 2);

        waiting.cancel(true);

        assertTrue(thrown.get(30, TimeUnit.SECONDS) instanceof InterruptedException);
    }

    @Test
    void presentNamesTheFirstLockFoundAndReadsBelowTheRoot() {
        LockWait locks = locks(LONG);
        assertNull(locks.present());

        lock(CHEF);
        assertEquals(CHEF, locks.present());

        lock(PUPPET);
        assertEquals(PUPPET, locks.present(), "in configured order");
    }

    @Test
    void relativeLockPathIsReadBelowTheRootToo() {
        write(root, "var/lock/ansible.lock", "");

        assertEquals("var/lock/ansible.lock",
                new LockWait(root, List.of("var/lock/ansible.lock"), LONG, POLL).present());
    }

    @Test
    void noneWaitsForNothing() throws Exception {
        assertNull(LockWait.none().present());
        assertNull(LockWait.none().await(() -> false));
        assertEquals(Duration.ZERO, LockWait.none().maxWait());
    }

    @Test
    void defaultLocksCoverPuppetChefAndSalt() {
        assertTrue(LockWait.DEFAULT_LOCKS.contains("/opt/puppetlabs/puppet/cache/state/agent_catalog_run.lock"));
        assertTrue(LockWait.DEFAULT_LOCKS.contains(PUPPET));
        assertTrue(LockWait.DEFAULT_LOCKS.contains(CHEF));
        assertTrue(LockWait.DEFAULT_LOCKS.stream().anyMatch(l -> l.contains("salt")));
    }
}
