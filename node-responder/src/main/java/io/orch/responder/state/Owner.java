package io.orch.responder.state;

/** Who this process runs as, for the owner checks. */
final class Owner {
    private Owner() {
    }

    /** The effective user id (POSIX systems only). */
    static long uid() {
        return new com.sun.security.auth.module.UnixSystem().getUid();
    }
}
