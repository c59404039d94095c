package io.orch.responder.policy;

import com.google.re2j.Pattern;
import java.util.List;

/**
 * Who a rule or group names: a certificate name (exact, case-sensitive), a {@code /regex/} (RE2,
 * full match: {@code /web\d+/} does not match {@code xweb1}; {@code /.../i} ignores case) or, in
 * rules, an {@code @group}.
 */
sealed interface Callers {

    boolean matches(String caller);

    /** As written in the file, for reasons and warnings. */
    String text();

    /**
     * Names that have nothing in common; a pattern matching all of them matches "anyone", so the
     * certificate of any node could use a rule that has it.
     */
    List<String> UNRELATED = List.of("a", "Z", "web01", "db-7.prod.example.org", "x_9", "alice smith", "0");

    /** Whether this matches every one of {@link #UNRELATED}: in effect, any caller. */
    default boolean matchesAnyone() {
        return UNRELATED.stream().allMatch(this::matches);
    }

    record Name(String name) implements Callers {
        @Override
        public boolean matches(String caller) {
            return name.equals(caller);
        }

        @Override
        public String text() {
            return name;
        }
    }

    record Regex(String text, Pattern regex) implements Callers {
        @Override
        public boolean matches(String caller) {
            return regex.matcher(caller).matches();
        }
    }

    record Group(String name, List<Callers> members) implements Callers {
        public Group {
            members = List.copyOf(members);
        }

        @Override
        public boolean matches(String caller) {
            return members.stream().anyMatch(m -> m.matches(caller));
        }

        @Override
        public String text() {
            return "@" + name;
        }

        @Override
        public boolean matchesAnyone() {
            return members.stream().anyMatch(Callers::matchesAnyone);
        }
    }
}
