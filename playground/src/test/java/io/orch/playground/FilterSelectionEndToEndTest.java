package io.orch.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orch.playground.lab.LabNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * -F, -I and -S select exactly the right lab nodes. The expected set is worked out here from
 * each node's fixture files, not through orch's own filter code.
 */
class FilterSelectionEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path state;

    static LabFixture fixture;

    @BeforeAll
    static void startLab() throws Exception {
        fixture = LabFixture.start(30, 0.4, 11, state);
    }

    @AfterAll
    static void stopLab() throws Exception {
        fixture.close();
    }

    static Stream<Arguments> filters() {
        Predicate<LabNode> debianLike = n -> osId(n).equals("debian") || osId(n).equals("ubuntu");
        Predicate<LabNode> pending = n -> fixture.lab.initiallyPending().contains(n.identity());
        Predicate<LabNode> longUp = n -> uptime(n) > 30 * 86400;
        Predicate<LabNode> web = n -> file(n, "etc/orch/facts.json").contains("\"role\": \"web\"");
        return Stream.of(
                Arguments.of("all (no filter)", new String[] {}, (Predicate<LabNode>) n -> true),
                Arguments.of("boolean fact", new String[] {"-F", "reboot_pending=true"}, pending),
                Arguments.of("boolean fact, other case", new String[] {"-F", "reboot_pending==FALSE"}, pending.negate()),
                Arguments.of("nested string fact", new String[] {"-F", "os.family=Debian"}, debianLike),
                Arguments.of("!= string", new String[] {"-F", "os.family!=Debian"}, debianLike.negate()),
                Arguments.of("number >", new String[] {"-F", "uptime_s>2592000"}, longUp),
                Arguments.of("number <=", new String[] {"-F", "uptime_s<=2592000"}, longUp.negate()),
                Arguments.of("static facts file", new String[] {"-F", "role=web"}, web),
                Arguments.of("regex", new String[] {"-F", "os.name=~/^(rocky|sles)/i"},
                        (Predicate<LabNode>) n -> osId(n).equals("rocky") || osId(n).equals("sles")),
                Arguments.of("list fact", new String[] {"-F", "reboot_pending_reasons=reboot_needed"},
                        (Predicate<LabNode>) n -> Files.exists(n.root().resolve("run/reboot-needed"))),
                Arguments.of("two -F: all must hold", new String[] {"-F", "reboot_pending=true", "-F", "os.family=Debian"},
                        pending.and(debianLike)),
                Arguments.of("identity exact", new String[] {"-I", "lab-0007"}, id("lab-0007")),
                Arguments.of("identity regex, repeated -I: any", new String[] {"-I", "/^lab-000[1-3]$/", "-I", "lab-0030"},
                        id("lab-0001").or(id("lab-0002")).or(id("lab-0003")).or(id("lab-0030"))),
                Arguments.of("compound and/or precedence", new String[] {"-S",
                        "os.family=Debian and reboot_pending=true or identity=lab-0001"},
                        debianLike.and(pending).or(id("lab-0001"))),
                Arguments.of("compound parentheses", new String[] {"-S",
                        "os.family=Debian and (reboot_pending=true or identity=lab-0001)"},
                        debianLike.and(pending.or(id("lab-0001")))),
                Arguments.of("compound not binds tighter than and", new String[] {"-S",
                        "not reboot_pending=true and os.family=Debian"}, pending.negate().and(debianLike)),
                Arguments.of("-F and -S together", new String[] {"-F", "role=web", "-S", "not os.family=Debian"},
                        web.and(debianLike.negate())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filters")
    void filterSelectsExactlyTheNodesWhoseFactsSatisfyIt(String name, String[] filter, Predicate<LabNode> expected)
            throws Exception {
        Set<String> want = new TreeSet<>();
        fixture.lab.nodes().stream().filter(expected).forEach(n -> want.add(n.identity()));
        String[] args = Stream.concat(Stream.of("discover", "--json", "--broker", fixture.url()), Stream.of(filter))
                .toArray(String[]::new);
        Cli.Result result = Cli.run(args);
        assertEquals(0, result.exitCode(), result::toString);
        assertEquals(want, RebootEndToEndTest.identities(JSON.readTree(result.out())), result::toString);
    }

    private static Predicate<LabNode> id(String identity) {
        return n -> n.identity().equals(identity);
    }

    private static String osId(LabNode node) {
        for (String line : file(node, "etc/os-release").split("\n")) {
            if (line.startsWith("ID=")) {
                return line.substring(3);
            }
        }
        return "";
    }

    private static double uptime(LabNode node) {
        double atStart = Double.parseDouble(file(node, "proc/uptime").split(" ")[0]);
        return atStart; // the lab is seconds old; no node sits within seconds of the 30-day line by chance
    }

    private static String file(LabNode node, String relative) {
        try {
            return Files.readString(node.root().resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
