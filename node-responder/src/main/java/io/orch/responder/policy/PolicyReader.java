package io.orch.responder.policy;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.re2j.Pattern;
import io.orch.protocol.Limits;
import io.orch.protocol.filter.Filter;
import io.orch.protocol.filter.FilterParser;
import io.orch.protocol.filter.FilterSyntaxException;
import io.orch.protocol.filter.IdentityMatch;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a policy file. The YAML is first read into a small tree that remembers the line of every
 * key and value, then checked by hand, so every complaint names the file, the line, the key and
 * what was expected: {@code bad value in /etc/orch/policy.yaml at line 9 (rule 2, actions):
 * unknown action 'reboots'; expected ping, discover, status, reboot, force or cancel}.
 */
final class PolicyReader {

    static final List<String> TOP_KEYS = List.of("groups", "maintenance_windows", "rules", "any_caller");
    static final List<String> WINDOW_KEYS = List.of("days", "start", "length", "time_zone");
    static final List<String> RULE_KEYS = List.of("callers", "actions", "facts", "any_time");

    private static final YAMLFactory YAML = new YAMLFactory();
    private static final String ACTIONS = "ping, discover, status, reboot, force or cancel";
    private static final String CALLER = "a certificate name, a /regex/ or an @group";
    private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Pattern START = Pattern.compile("(\\d{1,2}):(\\d{2})");
    private static final Pattern LENGTH =
            Pattern.compile("(?:(\\d{1,3})d)?(?:(\\d{1,4})h)?(?:(\\d{1,5})m)?");

    private final String file;
    private final List<String> warnings = new ArrayList<>();

    private PolicyReader(String file) {
        this.file = file;
    }

    /** The parts of a policy file; {@link Policy} puts them together. */
    record Parts(Set<PolicyAction> anyCaller, List<Rule> rules, List<MaintenanceWindow> windows,
                 List<String> warnings) {
    }

    static Parts read(String file, byte[] bytes) throws PolicyException {
        return new PolicyReader(file).read(bytes);
    }

    // ---- the tree ----

    private sealed interface Node permits MapNode, ListNode, Scalar {
        int line();
    }

    private record Field(String key, int line, Node value) {
    }

    private record MapNode(int line, Map<String, Field> fields) implements Node {
    }

    private record ListNode(int line, List<Node> items) implements Node {
    }

    /** {@code text} is the scalar as written; null for a YAML null ({@code ~}, {@code null} or nothing). */
    private record Scalar(int line, JsonToken token, String text) implements Node {
    }

    private Node tree(byte[] bytes) throws PolicyException {
        try (JsonParser parser = YAML.createParser(bytes)) {
            if (parser.nextToken() == null) {
                return null; // empty, or every line commented out
            }
            Node root = node(parser);
            if (parser.nextToken() != null) {
                throw new PolicyException("more than one YAML document in " + file + " (a second one starts at line "
                        + parser.currentTokenLocation().getLineNr() + "); a policy file holds one");
            }
            return root;
        } catch (JacksonException e) {
            throw new PolicyException("cannot read " + file + " as YAML: " + oneLine(e.getOriginalMessage())
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr()));
        } catch (IOException e) {
            throw new PolicyException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /**
     * SnakeYAML's message on one line, for a denial reason: its problem lines without the indented
     * excerpts and carets (the line and column are added from the location).
     */
    static String oneLine(String message) {
        if (message == null) {
            return "not YAML";
        }
        List<String> parts = new ArrayList<>();
        for (String line : message.split("\\R")) {
            if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
                parts.add(line.strip());
            }
        }
        return parts.isEmpty() ? message.strip().replaceAll("\\s+", " ") : String.join(": ", parts);
    }

    private Node node(JsonParser p) throws IOException, PolicyException {
        int line = p.currentTokenLocation().getLineNr();
        JsonToken token = p.currentToken();
        if (token == JsonToken.START_OBJECT) {
            Map<String, Field> fields = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                int keyLine = p.currentTokenLocation().getLineNr();
                p.nextToken();
                Field earlier = fields.put(key, new Field(key, keyLine, node(p)));
                if (earlier != null) {
                    throw new PolicyException("key '" + key + "' appears twice in " + file + ", at lines "
                            + earlier.line() + " and " + keyLine + "; give it once");
                }
            }
            return new MapNode(line, fields);
        }
        if (token == JsonToken.START_ARRAY) {
            List<Node> items = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                items.add(node(p));
            }
            return new ListNode(line, items);
        }
        return new Scalar(line, token, token == JsonToken.VALUE_NULL ? null : p.getText());
    }

    // ---- the policy ----

    private Parts read(byte[] bytes) throws PolicyException {
        Node root = tree(bytes);
        if (root == null || root instanceof Scalar s && s.text() == null) {
            return new Parts(Policy.OPEN_ACTIONS, List.of(), List.of(), List.of());
        }
        MapNode top = map(root, "the top level", "a map with the keys " + String.join(", ", TOP_KEYS));
        known(top, "the top level", TOP_KEYS);

        Set<PolicyAction> anyCaller = Policy.OPEN_ACTIONS;
        Field any = top.fields().get("any_caller");
        if (any != null) {
            anyCaller = anyCaller(any);
        }
        Map<String, Callers.Group> groups = new TreeMap<>();
        Field groupsField = top.fields().get("groups");
        if (groupsField != null && !isNull(groupsField.value())) {
            MapNode map = map(groupsField.value(), "groups", "a map of group name to a list of names or /regex/");
            for (Field g : map.fields().values()) {
                groups.put(g.key(), group(g));
            }
        }
        List<MaintenanceWindow> windows = new ArrayList<>();
        Field windowsField = top.fields().get("maintenance_windows");
        if (windowsField != null && !isNull(windowsField.value())) {
            List<Node> items = list(windowsField.value(), "maintenance_windows",
                    "a list of windows, each with days, start, length and time_zone");
            for (int i = 0; i < items.size(); i++) {
                windows.add(window(items.get(i), "maintenance window " + (i + 1)));
            }
        }
        List<Rule> rules = new ArrayList<>();
        Field rulesField = top.fields().get("rules");
        if (rulesField != null && !isNull(rulesField.value())) {
            List<Node> items = list(rulesField.value(), "rules", "a list of rules, each with callers and actions");
            for (int i = 0; i < items.size(); i++) {
                rules.add(rule(items.get(i), i + 1, groups));
            }
        }
        return new Parts(anyCaller, rules, windows, warnings);
    }

    private Set<PolicyAction> anyCaller(Field field) throws PolicyException {
        if (isNull(field.value())) {
            return Set.of();
        }
        Set<PolicyAction> actions = EnumSet.noneOf(PolicyAction.class);
        for (Scalar s : scalars(field.value(), "any_caller", "a list of ping, discover and status")) {
            PolicyAction action = action(s, "any_caller");
            if (!Policy.OPEN_ACTIONS.contains(action)) {
                throw bad(s, "any_caller", action.wireName() + " cannot be open to any caller: the certificate of "
                        + "every node could then " + action.phrase() + "; allow it in a rule that names the callers. "
                        + "Expected ping, discover or status");
            }
            actions.add(action);
        }
        return actions;
    }

    private Callers.Group group(Field g) throws PolicyException {
        String where = "groups, " + g.key();
        if (!GROUP_NAME.matcher(g.key()).matches()) {
            throw new PolicyException("bad group name '" + g.key() + "' in " + file + " at line " + g.line()
                    + "; expected letters, digits, '_', '.' or '-'");
        }
        List<Callers> members = new ArrayList<>();
        for (Scalar s : scalars(g.value(), where, "a list of names or /regex/")) {
            String text = text(s, where, "a name or /regex/");
            if (text.startsWith("@")) {
                throw bad(s, where, "'" + text + "': a group cannot contain a group; expected a name or /regex/");
            }
            members.add(caller(s, text, where));
        }
        if (members.isEmpty()) {
            throw bad(g.value(), where, "the group is empty; expected a list of names or /regex/");
        }
        return new Callers.Group(g.key(), members);
    }

    private Callers caller(Scalar s, String text, String where) throws PolicyException {
        if (!text.startsWith("/")) {
            return new Callers.Name(text);
        }
        try {
            IdentityMatch parsed = (IdentityMatch) FilterParser.parseIdentity(text);
            Pattern regex = parsed.regex();
            return new Callers.Regex(text, regex);
        } catch (FilterSyntaxException e) {
            throw bad(s, where, "'" + text + "' is not a valid regex: " + e.reason()
                    + "; expected /RE2 regex/ (a full match; /i ignores case)");
        }
    }

    private MaintenanceWindow window(Node node, String where) throws PolicyException {
        MapNode map = map(node, where, "a map with days, start, length and time_zone");
        known(map, where, WINDOW_KEYS);
        Set<DayOfWeek> days = EnumSet.allOf(DayOfWeek.class);
        Field daysField = map.fields().get("days");
        if (daysField != null) {
            days = EnumSet.noneOf(DayOfWeek.class);
            String expected = "a list of days like [sat, sun] or [mon-fri]";
            for (Scalar s : scalars(daysField.value(), where + ", days", expected)) {
                days.addAll(days(s, where + ", days"));
            }
            if (days.isEmpty()) {
                throw bad(daysField.value(), where + ", days",
                        "no days; expected a list of days like [sat, sun] or [mon-fri], or no days key for every day");
            }
        }
        Scalar startNode = scalar(required(map, "start", where, "\"HH:MM\", e.g. \"02:00\"").value(), where + ", start",
                "\"HH:MM\", e.g. \"02:00\"");
        LocalTime start = start(startNode, where + ", start");
        Scalar lengthNode = scalar(required(map, "length", where, "a duration like 90m, 4h or 1h30m").value(),
                where + ", length", "a duration like 90m, 4h or 1h30m");
        Duration length = length(lengthNode, where + ", length");
        String zoneExpected = "a time zone like Europe/Berlin or UTC, or local for the node's own";
        Scalar zoneNode = scalar(required(map, "time_zone", where, zoneExpected).value(), where + ", time_zone",
                zoneExpected);
        ZoneId zone = zone(zoneNode, where + ", time_zone", zoneExpected);
        return new MaintenanceWindow(days, start, length, zone);
    }

    private Set<DayOfWeek> days(Scalar s, String where) throws PolicyException {
        String text = text(s, where, "a day like sat or a range like mon-fri").strip().toLowerCase(Locale.ROOT);
        int dash = text.indexOf('-');
        if (dash < 0) {
            return EnumSet.of(day(s, text, where));
        }
        DayOfWeek from = day(s, text.substring(0, dash), where);
        DayOfWeek to = day(s, text.substring(dash + 1), where);
        Set<DayOfWeek> range = EnumSet.of(from);
        for (DayOfWeek d = from; d != to; ) {
            d = d.plus(1);
            range.add(d);
        }
        return range;
    }

    private DayOfWeek day(Scalar s, String text, String where) throws PolicyException {
        for (DayOfWeek d : DayOfWeek.values()) {
            String full = d.name().toLowerCase(Locale.ROOT);
            if (text.equals(full) || text.equals(full.substring(0, 3))) {
                return d;
            }
        }
        throw bad(s, where, "unknown day '" + s.text() + "'; expected mon, tue, wed, thu, fri, sat or sun "
                + "(or the full name), or a range like mon-fri");
    }

    private LocalTime start(Scalar s, String where) throws PolicyException {
        String expected = "\"HH:MM\" from \"00:00\" to \"23:59\", e.g. \"02:00\"";
        com.google.re2j.Matcher m = START.matcher(s.text() == null ? "" : s.text().strip());
        if (s.token() != JsonToken.VALUE_STRING || !m.matches()) {
            throw bad(s, where, "'" + s.text() + "' is not a time of day; expected " + expected);
        }
        int hour = Integer.parseInt(m.group(1));
        int minute = Integer.parseInt(m.group(2));
        if (hour > 23 || minute > 59) {
            throw bad(s, where, "'" + s.text() + "' is not a time of day; expected " + expected);
        }
        return LocalTime.of(hour, minute);
    }

    private Duration length(Scalar s, String where) throws PolicyException {
        String expected = "a duration like 90m, 4h, 1h30m or 2d, more than 0 and at most 7d";
        String text = s.text() == null ? "" : s.text().strip();
        com.google.re2j.Matcher m = LENGTH.matcher(text);
        if (s.token() != JsonToken.VALUE_STRING || text.isEmpty() || !m.matches()) {
            throw bad(s, where, "'" + s.text() + "' is not a duration; expected " + expected);
        }
        Duration length = Duration.ofDays(m.group(1) == null ? 0 : Long.parseLong(m.group(1)))
                .plusHours(m.group(2) == null ? 0 : Long.parseLong(m.group(2)))
                .plusMinutes(m.group(3) == null ? 0 : Long.parseLong(m.group(3)));
        if (length.isZero() || length.compareTo(Limits.MAX_MAINTENANCE_WINDOW) > 0) {
            throw bad(s, where, "'" + s.text() + "' is out of range; expected " + expected);
        }
        return length;
    }

    private ZoneId zone(Scalar s, String where, String expected) throws PolicyException {
        String text = text(s, where, expected).strip();
        if (text.equals("local")) {
            return ZoneId.systemDefault();
        }
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            throw bad(s, where, "unknown time zone '" + text + "'; expected " + expected);
        }
    }

    private Rule rule(Node node, int number, Map<String, Callers.Group> groups) throws PolicyException {
        String where = "rule " + number;
        MapNode map = map(node, where, "a map with callers, actions and optionally facts and any_time");
        known(map, where, RULE_KEYS);

        Field callersField = required(map, "callers", where, "a list of callers: " + CALLER + " each");
        List<Callers> callers = new ArrayList<>();
        for (Scalar s : scalars(callersField.value(), where + ", callers", "a list of callers: " + CALLER + " each")) {
            String text = text(s, where + ", callers", CALLER);
            if (text.startsWith("@")) {
                Callers.Group group = groups.get(text.substring(1));
                if (group == null) {
                    throw bad(s, where + ", callers", "unknown group '" + text + "'; "
                            + (groups.isEmpty() ? "no groups are defined (see groups:)"
                            : "expected one of @" + String.join(", @", groups.keySet())));
                }
                callers.add(group);
            } else {
                callers.add(caller(s, text, where + ", callers"));
            }
        }
        if (callers.isEmpty()) {
            throw bad(callersField.value(), where + ", callers", "no callers; expected a list of " + CALLER);
        }

        Field actionsField = required(map, "actions", where, "a list of " + ACTIONS);
        Set<PolicyAction> actions = EnumSet.noneOf(PolicyAction.class);
        for (Scalar s : scalars(actionsField.value(), where + ", actions", "a list of " + ACTIONS)) {
            actions.add(action(s, where + ", actions"));
        }
        if (actions.isEmpty()) {
            throw bad(actionsField.value(), where + ", actions", "no actions; expected a list of " + ACTIONS);
        }

        String factsText = null;
        Filter facts = Filter.MATCH_ALL;
        Field factsField = map.fields().get("facts");
        if (factsField != null) {
            String expected = "a filter like \"role=db and not env=prod\" (the -S language)";
            Scalar s = scalar(factsField.value(), where + ", facts", expected);
            factsText = text(s, where + ", facts", expected);
            if (factsText.isBlank()) {
                throw bad(s, where + ", facts", "empty filter; expected " + expected + ", or no facts key");
            }
            try {
                facts = FilterParser.parseCompound(factsText);
            } catch (FilterSyntaxException e) {
                throw bad(s, where + ", facts", e.getMessage() + "; expected " + expected);
            }
        }

        boolean anyTime = false;
        Field anyTimeField = map.fields().get("any_time");
        if (anyTimeField != null) {
            Scalar s = scalar(anyTimeField.value(), where + ", any_time", "true or false");
            if (s.token() != JsonToken.VALUE_TRUE && s.token() != JsonToken.VALUE_FALSE) {
                throw bad(s, where + ", any_time", "'" + s.text() + "'; expected true or false");
            }
            anyTime = s.token() == JsonToken.VALUE_TRUE;
            if (anyTime && !actions.contains(PolicyAction.REBOOT) && !actions.contains(PolicyAction.FORCE)) {
                throw bad(s, where + ", any_time", "any_time applies to reboot and force, and this rule allows "
                        + "neither; expected any_time only in a rule with reboot or force");
            }
        }

        Rule rule = new Rule(number, callers, actions, factsText, facts, anyTime);
        for (Callers c : callers) {
            if (c.matchesAnyone()) {
                List<String> risky = actions.stream().filter(a -> !Policy.OPEN_ACTIONS.contains(a))
                        .map(PolicyAction::wireName).toList();
                if (!risky.isEmpty()) {
                    warnings.add(file + " line " + node.line() + ": " + where + " lets any caller (" + c.text()
                            + ") " + String.join(", ", risky) + ": the certificate of every node of the site's CA "
                            + "could then do that to this node; name the operators instead");
                }
            }
        }
        return rule;
    }

    private PolicyAction action(Scalar s, String where) throws PolicyException {
        String text = text(s, where, ACTIONS);
        return PolicyAction.parse(text.strip().toLowerCase(Locale.ROOT)).orElseThrow(() ->
                bad(s, where, "unknown action '" + text + "'; expected " + ACTIONS));
    }

    // ---- shapes ----

    private static boolean isNull(Node node) {
        return node instanceof Scalar s && s.text() == null;
    }

    private Field required(MapNode map, String key, String where, String expected) throws PolicyException {
        Field field = map.fields().get(key);
        if (field == null || isNull(field.value())) {
            throw new PolicyException("missing key '" + key + "' in " + file + " at line " + map.line() + " (" + where
                    + "); expected " + expected);
        }
        return field;
    }

    private void known(MapNode map, String where, List<String> keys) throws PolicyException {
        for (Field f : map.fields().values()) {
            if (!keys.contains(f.key())) {
                throw new PolicyException("unknown key '" + f.key() + "' in " + file + " at line " + f.line() + " ("
                        + where + "); known keys here: " + String.join(", ", keys));
            }
        }
    }

    private MapNode map(Node node, String where, String expected) throws PolicyException {
        if (node instanceof MapNode m) {
            return m;
        }
        throw bad(node, where, shape(node) + "; expected " + expected);
    }

    private List<Node> list(Node node, String where, String expected) throws PolicyException {
        if (node instanceof ListNode l) {
            return l.items();
        }
        throw bad(node, where, shape(node) + "; expected " + expected);
    }

    private Scalar scalar(Node node, String where, String expected) throws PolicyException {
        if (node instanceof Scalar s) {
            return s;
        }
        throw bad(node, where, shape(node) + "; expected " + expected);
    }

    /** A list of scalars; a single scalar is not taken for a list of one, so the file says what it means. */
    private List<Scalar> scalars(Node node, String where, String expected) throws PolicyException {
        List<Scalar> out = new ArrayList<>();
        for (Node item : list(node, where, expected)) {
            out.add(scalar(item, where, expected));
        }
        return out;
    }

    /** Any scalar but null, as written: YAML reads {@code 1234} as a number and {@code on} as true; a name is a name. */
    private String text(Scalar s, String where, String expected) throws PolicyException {
        if (s.text() == null) {
            throw bad(s, where, shape(s) + "; expected " + expected);
        }
        return s.text();
    }

    private static String shape(Node node) {
        if (node instanceof MapNode) {
            return "found a map";
        }
        if (node instanceof ListNode) {
            return "found a list";
        }
        Scalar s = (Scalar) node;
        return s.text() == null ? "found nothing (null)" : "found '" + s.text() + "'";
    }

    private PolicyException bad(Node at, String where, String problem) {
        return new PolicyException("bad value in " + file + " at line " + at.line() + " (" + where + "): " + problem);
    }
}
