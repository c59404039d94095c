package io.orch.responder.audit;

import io.orch.trust.Verifier;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One request's audit line: who asked what, and what the node finally did about it. The
 * responder makes it once it has decided; the endpoint writes it once it knows how the message
 * ended (a {@code scheduled} reply the broker did not confirm turns the decision into {@link #REFUSED}
 * and keeps the reply, marked unconfirmed: the requester may have had it all the same).
 *
 * @param time          when the node decided
 * @param requestId     the request's id; for a body that could not be read, whatever id was found, or null
 * @param caller        who sent it: verified, or only claimed; null when the body could not be read
 * @param authenticated whether the request passed the signature check (always, for a node running
 *                      {@code security: insecure}): only then is it one of the node's own reboot decisions
 * @param sender        the sender the request claims (a host name), or null
 * @param action        the action's wire name, or null when unreadable
 * @param filter        the request's filter, or null
 * @param decision      the final decision: a reply status ({@code scheduled}, {@code denied}, …) or
 *                      {@link #REFUSED}: not answered, or answered but not carried out
 * @param reply         the status of the reply the node sent (or tried to send), or null when it sent none
 * @param replyConfirmed false when the broker did not confirm taking the reply: it may or may not have
 *                      reached the requester
 * @param message       the reply's message, or why the request was refused
 * @param reasons       the pending reasons' names, when the reply had them
 */
public record AuditEntry(Instant time, String requestId, Verifier.Signer caller, boolean authenticated,
                         String sender, String action, Map<String, Object> filter, String decision, String reply,
                         boolean replyConfirmed, String message, List<String> reasons) {
    /** The decision of a request the node did not answer, or answered but did not carry out. */
    public static final String REFUSED = "refused";

    public AuditEntry {
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }

    /** A line whose reply, if any, the broker confirmed (or that needed no confirmation). */
    public AuditEntry(Instant time, String requestId, Verifier.Signer caller, boolean authenticated, String sender,
                      String action, Map<String, Object> filter, String decision, String reply, String message,
                      List<String> reasons) {
        this(time, requestId, caller, authenticated, sender, action, filter, decision, reply, true, message, reasons);
    }

    /**
     * A reboot or cancel decision on a request that passed the signature check: what the audit
     * keeps apart, so that a flood of cheap or unsigned requests cannot rotate it away.
     */
    public boolean rebootDecision() {
        return authenticated && ("reboot".equals(action) || "cancel".equals(action));
    }

    /**
     * A reboot or cancel the node carried out, or promised and then did not carry out: rare by
     * construction, and never where refusals could rotate it away. Told by the original decision,
     * which the reply keeps when the endpoint later turns the decision into {@link #REFUSED}.
     */
    public boolean promise() {
        return promised(decision) || promised(reply);
    }

    private static boolean promised(String status) {
        return "scheduled".equals(status) || "cancelled".equals(status);
    }

    /**
     * This line with the reply as the endpoint sent it: {@code replied} false when the broker did
     * not confirm taking it. The reply stays, marked unconfirmed: the broker may have delivered it.
     */
    public AuditEntry replied(boolean replied) {
        return replied || reply == null ? this : new AuditEntry(time, requestId, caller, authenticated, sender, action,
                filter, decision, reply, false, message, reasons);
    }

    /** This line once the node refused to carry it out, for {@code why}. */
    public AuditEntry refused(String why) {
        return new AuditEntry(time, requestId, caller, authenticated, sender, action, filter, REFUSED, reply,
                replyConfirmed, why, reasons);
    }

    /** This line as decided at {@code when}. */
    public AuditEntry at(Instant when) {
        return new AuditEntry(when, requestId, caller, authenticated, sender, action, filter, decision, reply,
                replyConfirmed, message, reasons);
    }
}
