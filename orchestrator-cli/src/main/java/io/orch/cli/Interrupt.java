package io.orch.cli;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What Ctrl-C means to a run. The first one asks the run to stop: no new batch starts, waits
 * end with what they have, and the command prints what is in flight and its summary. The
 * second one ends the process at once. With no run listening (a command between phases, or
 * one that never registers), the first one already ends the process, as Ctrl-C normally does.
 */
public final class Interrupt {
    /** How a second Ctrl-C (or one nobody listens to) ends things: in the real CLI, {@code Runtime.halt(130)}. */
    public interface Exit {
        void now(int code);
    }

    private final AtomicInteger signals = new AtomicInteger();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final Exit exit;

    public Interrupt(Exit exit) {
        this.exit = exit;
    }

    /** Delivers one Ctrl-C. */
    public void signal() {
        int n = signals.incrementAndGet();
        if (n == 1 && !listeners.isEmpty()) {
            listeners.forEach(Runnable::run);
        } else {
            exit.now(ExitCode.INTERRUPTED);
        }
    }

    public boolean requested() {
        return signals.get() > 0;
    }

    /**
     * Runs {@code listener} on the first Ctrl-C (at once if it already came) until the returned
     * handle is closed.
     */
    public Registration onStop(Runnable listener) {
        listeners.add(listener);
        if (requested()) {
            listener.run();
        }
        return () -> listeners.remove(listener);
    }

    /** A listener's registration; closing it never fails. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /** Routes the process's SIGINT here; a second one halts with exit code 130 without running shutdown hooks. */
    @SuppressWarnings("sunapi")
    public static Interrupt forProcess() {
        Interrupt interrupt = new Interrupt(code -> {
            System.err.println();
            System.err.flush();
            Runtime.getRuntime().halt(code);
        });
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> interrupt.signal());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // no SIGINT on this platform or it is taken: the JVM's own handling (exit 130) stays
        }
        return interrupt;
    }
}
