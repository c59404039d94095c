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
    private final Exit unheard;
    private final Exit force;

    public Interrupt(Exit exit) {
        this(exit, exit);
    }

    /**
     * @param unheard how the first Ctrl-C ends things when nobody listens
     * @param force   how a second Ctrl-C ends things
     */
    Interrupt(Exit unheard, Exit force) {
        this.unheard = unheard;
        this.force = force;
    }

    /** Delivers one Ctrl-C. */
    public void signal() {
        int n = signals.incrementAndGet();
        if (n > 1) {
            force.now(ExitCode.INTERRUPTED);
        } else if (!listeners.isEmpty()) {
            listeners.forEach(Runnable::run);
        } else {
            unheard.now(ExitCode.INTERRUPTED);
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

    /**
     * Routes the process's SIGINT here. With nobody listening, the first one exits normally (130,
     * shutdown hooks run: the lab and the broker clean up); the second one halts at once.
     */
    @SuppressWarnings("sunapi")
    public static Interrupt forProcess() {
        Interrupt interrupt = new Interrupt(code -> {
            // Not on the signal thread: System.exit waits for shutdown hooks, and a later Ctrl-C must get through.
            new Thread(() -> System.exit(code), "orch-exit").start();
        }, code -> {
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
