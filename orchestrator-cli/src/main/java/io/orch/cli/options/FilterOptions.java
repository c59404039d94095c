package io.orch.cli.options;

import io.orch.cli.UsageException;
import io.orch.protocol.filter.FilterBudgetException;
import io.orch.protocol.filter.FilterParser;
import io.orch.protocol.filter.FilterSpec;
import io.orch.protocol.filter.FilterSyntaxException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code -F}, {@code -I}, {@code -S}: which nodes a request is for. Checked here, before anything is sent. */
public final class FilterOptions {
    @Option(names = {"-F", "--fact"}, paramLabel = "FACT OP VALUE",
            description = "Fact filter, e.g. reboot_pending=true, os.family==Debian, uptime_s>86400, "
                    + "kernel.release=~/^6\\./ (ops: == = != < > <= >= =~). Repeatable; all must hold.")
    List<String> facts = new ArrayList<>();

    @Option(names = {"-I", "--identity"}, paramLabel = "ID|/REGEX/",
            description = "Node identity, exact or /regex/. Repeatable; any may match. When all are exact, "
                    + "only those nodes are asked (each on its own topic), and one that does not answer is "
                    + "reported as no response.")
    List<String> identities = new ArrayList<>();

    @Option(names = {"-S", "--select"}, paramLabel = "EXPR",
            description = "Compound filter with and, or, not and parentheses, e.g. "
                    + "\"os.family=Debian and (uptime_s>86400 or not reboot_pending=true)\".")
    String compound;

    /**
     * The filter as it goes on the wire, after checking that a node will be able to read it: first
     * the budget of the parts together, as a node checks it before compiling anything, then each
     * part, so that a syntax error names its flag.
     */
    public FilterSpec spec() {
        FilterSpec spec = new FilterSpec(facts, identities, compound);
        try {
            spec.checkBudget();
        } catch (FilterBudgetException e) {
            throw new UsageException("filter too large: " + e.getMessage()
                    + "; split the run or use fewer, broader filters (see docs/limits.md)");
        } catch (FilterSyntaxException e) {
            // named with its flag below
        }
        for (String fact : facts) {
            check("-F", fact, () -> FilterParser.parseFact(fact));
        }
        for (String identity : identities) {
            check("-I", identity, () -> FilterParser.parseIdentity(identity));
        }
        if (compound != null) {
            check("-S", compound, () -> FilterParser.parseCompound(compound));
        }
        return spec;
    }

    private interface Parse {
        void run() throws FilterSyntaxException;
    }

    private static void check(String flag, String text, Parse parse) {
        try {
            parse.run();
        } catch (FilterSyntaxException e) {
            throw new UsageException("bad filter " + flag + " '" + text + "': " + e.reason() + " at position "
                    + e.position() + " near '" + e.token() + "'", e.pointer());
        }
    }
}
