package io.orch.cli.run;

/**
 * A reply or event that failed verification: it never counts for any node (never makes one back,
 * failed or skipped), and is reported so that nobody misses a forgery or a misconfigured node.
 *
 * @param kind    {@code reply} or {@code event}
 * @param claimed the node it claims to come from, as written in it (not trusted)
 * @param why     why it was not believed
 */
public record Unverified(String kind, String claimed, String why) {
    /** One line for a person. */
    public String describe() {
        return "unverified " + kind + " claiming to be from '" + claimed + "' ignored: " + why;
    }
}
