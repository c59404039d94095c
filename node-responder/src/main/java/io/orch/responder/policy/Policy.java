package io.orch.responder.policy;

import io.orch.protocol.filter.FactView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's policy: which caller (the common name of the certificate that signed the request)
 * may ask this node for which action, on which facts, and when reboots may happen. Immutable and
 * thread-safe; {@link #decide} is pure.
 *
 * <p>A request is allowed when the action is open to any caller ({@code any_caller}: ping, discover
 * and status unless the file says otherwise), or when a rule names the caller, lists the action and
 * its {@code facts} hold on this node; a reboot or forced reboot also needs a maintenance window
 * to be open now, or the rule to say {@code any_time}. Reboot, force and cancel are never open to
 * any caller: only a rule that names the caller allows them, so a node's own certificate cannot
 * reboot another node. The file format is in {@code docs/policy.md}.
 */
public final class Policy {

    private static final Logger LOG = LoggerFactory.getLogger(Policy.class);

    /** The actions any caller of the site's CA may ask for without a rule, unless the file says otherwise. */
    static final Set<PolicyAction> OPEN_ACTIONS =
            Set.copyOf(EnumSet.of(PolicyAction.PING, PolicyAction.DISCOVER, PolicyAction.STATUS));

    private static final Policy DEFAULTS = new Policy("built-in default policy (no policy file)", OPEN_ACTIONS,
            List.of(), Schedule.NONE, List.of(), null, false);
    private static final Policy ALLOW_ALL = new Policy("allow-all policy (insecure mode, no policy file)",
            EnumSet.allOf(PolicyAction.class), List.of(), Schedule.NONE, List.of(), null, true);

    private final String origin;
    private final Set<PolicyAction> anyCaller;
    private final List<Rule> rules;
    private final Schedule schedule;
    private final List<String> warnings;
    /** For a fail-closed policy: why everything but {@link #anyCaller} is denied; else null. */
    private final String invalid;
    private final boolean allowAll;

    private Policy(String origin, Set<PolicyAction> anyCaller, List<Rule> rules, Schedule schedule,
                   List<String> warnings, String invalid, boolean allowAll) {
        this.origin = origin;
        this.anyCaller = anyCaller.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(anyCaller));
        this.rules = List.copyOf(rules);
        this.schedule = schedule;
        this.warnings = List.copyOf(warnings);
        this.invalid = invalid;
        this.allowAll = allowAll;
    }

    /**
     * Reads a policy file (format in {@code docs/policy.md}). Logs a warning for each rule that lets
     * any caller reboot, force or cancel; {@link #warnings()} has them too.
     *
     * @throws PolicyException the file is missing, unreadable or invalid; the message names the file,
     *                         the line, the key and what is expected there
     */
    public static Policy load(Path file) throws PolicyException {
        Objects.requireNonNull(file, "file == null");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new PolicyException("policy file " + file + " does not exist");
        } catch (IOException e) {
            throw new PolicyException("cannot read policy file " + file + ": " + e);
        }
        Policy policy = parse(file, bytes);
        for (String warning : policy.warnings) {
            LOG.warn("{}", warning);
        }
        return policy;
    }

    /** {@link #load} of bytes already read; logs nothing. */
    static Policy parse(Path file, byte[] bytes) throws PolicyException {
        PolicyReader.Parts parts = PolicyReader.read(file.toString(), bytes);
        List<String> warnings = new ArrayList<>(parts.warnings());
        String writable = writableByOthers(file);
        if (writable != null) {
            warnings.add(writable);
        }
        return new Policy("policy file " + file, parts.anyCaller(), parts.rules(), new Schedule(parts.windows()),
                warnings, null, false);
    }

    /**
     * The policy of a node without a policy file: any caller of the site's CA may ping, discover and
     * ask status; nobody may reboot, force or cancel.
     */
    public static Policy defaults() {
        return DEFAULTS;
    }

    /**
     * Allows every action to every caller at any time, with no maintenance windows: today's
     * behaviour, <b>only for nodes in {@code security: insecure} mode that have no policy file</b>.
     * Never use it on a node that checks signatures: it would let any node's certificate reboot it.
     */
    public static Policy allowAll() {
        return ALLOW_ALL;
    }

    /**
     * What a node uses while its policy file is invalid: ping, discover and status for any caller,
     * everything else denied with {@code reason}.
     */
    static Policy failClosed(String reason) {
        return new Policy("fail-closed policy (" + reason + ")", OPEN_ACTIONS, List.of(), Schedule.NONE, List.of(),
                Objects.requireNonNull(reason, "reason == null"), false);
    }

    /**
     * Whether {@code caller} may do {@code action} on this node now.
     *
     * @param caller the common name of the certificate that signed the request; null or blank is denied
     * @param facts  this node's facts, for rules with {@code facts}; null reads as no facts
     * @param now    the time of the decision, for the maintenance windows
     * @return allowed or not, with the reason either way
     */
    public Decision decide(String caller, PolicyAction action, FactView facts, Instant now) {
        Objects.requireNonNull(action, "action == null");
        Objects.requireNonNull(now, "now == null");
        if (allowAll) {
            return Decision.allow("allowed: insecure mode without a policy file allows every request");
        }
        if (caller == null || caller.isBlank()) {
            return Decision.deny("the request names no caller; only signed requests are answered");
        }
        String who = printable(caller);
        if (anyCaller.contains(action)) {
            return Decision.allow("allowed: any caller of the site's CA may " + action.phrase()
                    + (this == DEFAULTS || invalid != null ? " (default)" : " (any_caller)"));
        }
        if (invalid != null) {
            return Decision.deny(invalid);
        }
        FactView view = facts == null ? path -> null : facts;

        List<Rule> naming = rules.stream().filter(r -> r.names(caller)).toList();
        List<Rule> listing = naming.stream().filter(r -> r.allows(action)).toList();
        if (listing.isEmpty()) {
            String reason = "no rule allows " + who + " to " + action.phrase();
            if (naming.isEmpty()) {
                if (this == DEFAULTS) {
                    return Decision.deny(reason + " (there is no policy file; without one nobody may reboot, force "
                            + "or cancel)");
                }
                return Decision.deny(reason + (rules.isEmpty() ? " (the policy has no rules)" : ""));
            }
            List<Rule> rebooting = naming.stream().filter(r -> r.allows(PolicyAction.REBOOT)).toList();
            if (action == PolicyAction.FORCE && !rebooting.isEmpty()) {
                return Decision.deny(reason + " (" + numbers(rebooting) + " allow" + (rebooting.size() == 1 ? "s" : "")
                        + " reboot, but a forced reboot needs a rule that lists force)");
            }
            return Decision.deny(reason + " (" + numbers(naming) + " name" + (naming.size() == 1 ? "s " : " ")
                    + who + " for " + naming.stream().flatMap(r -> r.actions().stream()).distinct().sorted()
                    .map(PolicyAction::wireName).collect(Collectors.joining(", ")) + " only)");
        }
        List<Rule> matching = listing.stream().filter(r -> r.matchesFacts(view)).toList();
        if (matching.isEmpty()) {
            return Decision.deny("no rule allows " + who + " to " + action.phrase() + ": its facts do not match "
                    + listing.stream().map(r -> "rule " + r.number() + " (" + r.factsText() + ")")
                    .collect(Collectors.joining(", ")));
        }
        if (!action.reboots() || schedule.isOpen(now)) {
            return Decision.allow("allowed by " + matching.get(0).describe());
        }
        for (Rule r : matching) {
            if (r.anyTime()) {
                return Decision.allow("allowed by " + r.describe() + " outside the maintenance windows");
            }
        }
        return Decision.deny(schedule.outside(now));
    }

    /** The maintenance windows at {@code now}: described, open or not, and when that changes next. */
    public MaintenanceStatus maintenance(Instant now) {
        Objects.requireNonNull(now, "now == null");
        if (invalid != null) {
            return new MaintenanceStatus("unknown", false, null, invalid);
        }
        if (allowAll) {
            return new MaintenanceStatus("none", true, null,
                    "no maintenance windows: insecure mode allows reboots any time");
        }
        return schedule.status(now);
    }

    /**
     * What the file allows that it probably should not, one line each, e.g. a rule that lets any
     * caller reboot. {@link #load} logs them; they never make the file invalid.
     */
    public List<String> warnings() {
        return warnings;
    }

    /** Where this policy came from, e.g. {@code policy file /etc/orch/policy.yaml}, for logs. */
    @Override
    public String toString() {
        return origin + ": " + rules.size() + (rules.size() == 1 ? " rule" : " rules") + ", maintenance windows "
                + schedule.describe();
    }

    private static String numbers(List<Rule> rules) {
        return (rules.size() == 1 ? "rule " : "rules ")
                + rules.stream().map(r -> String.valueOf(r.number())).collect(Collectors.joining(", "));
    }

    /** Certificate names come from outside: control characters are escaped so a reason stays one line. */
    static String printable(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** A warning when others than the owner may change the file (and so grant themselves reboots); else null. */
    private static String writableByOthers(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.OTHERS_WRITE) || perms.contains(PosixFilePermission.GROUP_WRITE)) {
                return "policy file " + file + " may be changed by others than its owner ("
                        + java.nio.file.attribute.PosixFilePermissions.toString(perms)
                        + "): whoever can write it decides who may reboot this node; chmod go-w it";
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not POSIX (Windows), or gone: nothing to say
        }
        return null;
    }
}
