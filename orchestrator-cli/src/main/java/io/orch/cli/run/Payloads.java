package io.orch.cli.run;

import io.orch.protocol.envelope.Event;
import io.orch.protocol.envelope.Reply;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place that reads reply and event {@code data} by key, into small typed views; when
 * protocol gets typed payloads, this file is the one to change.
 */
final class Payloads {
    private Payloads() {
    }

    /** What a {@code rebooted} event says. @param downtimeS seconds down as the node measured them, or null */
    record Rebooted(String newBootId, Number downtimeS, boolean pending, List<String> reasons) {
    }

    /** What a {@code status} reply says about the boot and a reboot under way. @param bootId null when not given */
    record Status(String bootId, boolean pending, List<String> reasons, Object rebootUnderway) {
    }

    /** Reason names from {@code data.reasons}, whether given as names or as objects with a name. */
    static List<String> reasons(Map<String, Object> data) {
        List<String> names = new ArrayList<>();
        if (data.get("reasons") instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> map && map.get("name") != null) {
                    names.add(String.valueOf(map.get("name")));
                } else if (item instanceof String s) {
                    names.add(s);
                }
            }
        }
        return names;
    }

    /** The boot id a reply gave, as text ({@code "null"} when it gave none): what a new boot is told apart from. */
    static String bootIdText(Map<String, Object> replyData) {
        return String.valueOf(replyData.get("boot_id"));
    }

    /** When orch last rebooted the node, or null. */
    static Object lastRebootAt(Reply reply) {
        return reply.data().get("last_reboot") instanceof Map<?, ?> last ? last.get("rebooted_at") : null;
    }

    /** The facts the request asked for, in the node's order; empty when none. */
    static Map<Object, Object> facts(Reply reply) {
        Map<Object, Object> facts = new LinkedHashMap<>();
        if (reply.data().get("facts") instanceof Map<?, ?> given) {
            facts.putAll(given);
        }
        return facts;
    }

    static Rebooted rebooted(Event event) {
        Map<String, Object> data = event.data();
        String after = data.get("new_boot_id") != null ? String.valueOf(data.get("new_boot_id")) : event.bootId();
        return new Rebooted(after, data.get("downtime_s") instanceof Number down ? down : null,
                Boolean.TRUE.equals(data.get("pending")), reasons(data));
    }

    /** Why a {@code reboot_failed} event says the reboot did not happen. */
    static String failure(Event event) {
        return text(event.data().get("error"), event.data().get("message"), "the node gave no reason");
    }

    static Status status(Reply reply) {
        Map<String, Object> data = reply.data();
        Object bootId = data.get("boot_id");
        return new Status(bootId == null ? null : String.valueOf(bootId), Boolean.TRUE.equals(data.get("pending")),
                reasons(data), data.get("reboot_underway"));
    }

    private static String text(Object... candidates) {
        for (Object c : candidates) {
            if (c != null && !String.valueOf(c).isBlank()) {
                return String.valueOf(c);
            }
        }
        return "";
    }
}
