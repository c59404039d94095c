package io.orch.responder.reboot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Waits until no configuration-management run holds its lock file (Puppet's agent catalog run
 * lock by default), bounded: a reboot in the middle of a Puppet run leaves a half-applied node.
 * Lock paths are read below the same root as the detectors.
 */
public final class LockWait {
    /** The config-management run locks of Linux nodes. */
    public static final List<String> LINUX_LOCKS = List.of(
            "/opt/puppetlabs/puppet/cache/state/agent_catalog_run.lock",
            "/var/lib/puppet/state/agent_catalog_run.lock",
            "/var/run/chef/client.pid",
            "/var/lib/salt/minion/proc/.lock");
    /** The same on Windows nodes: absolute paths, so they are never read below a Linux-style root. */
    public static final List<String> WINDOWS_LOCKS = List.of(
            "C:/ProgramData/PuppetLabs/puppet/cache/state/agent_catalog_run.lock",
            "C:/chef/cache/chef-client-running.pid",
            "C:/ProgramData/Salt Project/Salt/var/cache/salt/minion/proc/.lock");
    /** This platform's: Linux paths on Windows would be looked for under C:\. */
    public static final List<String> DEFAULT_LOCKS = System.getProperty("os.name", "")
            .toLowerCase(java.util.Locale.ROOT).startsWith("windows") ? WINDOWS_LOCKS : LINUX_LOCKS;

    private final Path root;
    private final List<String> lockFiles;
    private final Duration maxWait;
    private final Duration poll;

    public LockWait(Path root, List<String> lockFiles, Duration maxWait, Duration poll) {
        this.root = root;
        this.lockFiles = List.copyOf(lockFiles);
        this.maxWait = maxWait;
        this.poll = poll;
    }

    /** Waits for nothing: for responders that have no config runs to respect (tests). */
    public static LockWait none() {
        return new LockWait(Path.of("/"), List.of(), Duration.ZERO, Duration.ofMillis(1));
    }

    /** The lock present right now, or null. */
    String present() {
        for (String lock : lockFiles) {
            Path file = root.resolve(lock.startsWith("/") ? lock.substring(1) : lock);
            if (Files.exists(file)) {
                return lock;
            }
        }
        return null;
    }

    /**
     * @return null once no lock is present (or when cancelled), else the lock still present at the bound
     */
    String await(BooleanSupplier cancelled) throws InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        String lock = present();
        while (lock != null && !cancelled.getAsBoolean()) {
            if (System.nanoTime() >= deadline) {
                return lock;
            }
            Thread.sleep(Math.max(1, poll.toMillis()));
            lock = present();
        }
        return null;
    }

    Duration maxWait() {
        return maxWait;
    }
}
