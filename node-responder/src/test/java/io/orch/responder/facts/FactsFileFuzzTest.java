package io.orch.responder.facts;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.orch.protocol.filter.Filter;
import io.orch.protocol.filter.FilterParser;
import io.orch.protocol.filter.FilterSyntaxException;
import io.orch.protocol.filter.MapFactView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Whatever a static facts file (JSON or YAML) holds, reading it ends in a map of facts or an
 * {@link IllegalArgumentException} with a message (what {@link FactsFile#read} documents); the facts
 * read are then evaluated by filters of every kind, which must not throw whatever the values' types.
 * Seeds in {@code FactsFileFuzzTestInputs/readAndFilter/}. See docs/fuzzing.md.
 */
class FactsFileFuzzTest {

    /** The same bytes under both names: a {@code .json} file goes to the JSON parser, any other to YAML's. */
    private static final List<Path> FILES = List.of(tempFile(".yaml"), tempFile(".json"));
    private static final List<Filter> FILTERS = filters(
            "role=db", "role!=db", "cpus>4", "cpus<=4.5", "mem.gb>=1e3", "virtual=true", "tags=~/^pci/i",
            "os.family=Debian and not os.release.major<12", "identity=~/./", "a.b.c=~/(x|y)+$/");

    @FuzzTest
    void readAndFilter(byte[] content) throws IOException {
        for (Path file : FILES) {
            Files.write(file, content);
            Map<String, Object> facts;
            try {
                facts = FactsFile.read(file);
            } catch (IllegalArgumentException documented) {
                assertFalse(documented.getMessage().isBlank(), "a refusal says what is wrong");
                continue;
            }
            MapFactView view = new MapFactView(facts);
            for (Filter filter : FILTERS) {
                filter.matches(view);
            }
        }
    }

    private static List<Filter> filters(String... texts) {
        try {
            List<Filter> out = new java.util.ArrayList<>();
            for (String text : texts) {
                out.add(FilterParser.parseCompound(text));
            }
            return out;
        } catch (FilterSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path tempFile(String suffix) {
        try {
            Path file = Files.createTempFile("facts", suffix);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
