package io.orch.protocol.filter;

import java.util.Objects;

/**
 * Parses the three filter forms of the CLI and the wire. Regexes are compiled here, once, and
 * only once the whole text is known to be within the per-request budget ({@link
 * FilterBudgetException}); the returned filters are immutable and safe to share between threads.
 */
public final class FilterParser {

    private FilterParser() {
    }

    /** One {@code -F}: {@code fact OP value}, e.g. {@code os.family=debian} or {@code kernel.release =~ /^6\./}. */
    public static Filter parseFact(String text) throws FilterSyntaxException {
        return Parser.parse(Parser.Form.FACT, Objects.requireNonNull(text, "text == null"));
    }

    /** One {@code -I}: an exact identity ({@code web01}) or a regex ({@code /^web\d+$/}). */
    public static Filter parseIdentity(String text) throws FilterSyntaxException {
        return Parser.parse(Parser.Form.IDENTITY, Objects.requireNonNull(text, "text == null"));
    }

    /**
     * One {@code -S}: fact comparisons joined by {@code and}, {@code or}, {@code not} (or {@code !})
     * and parentheses; {@code not} binds tighter than {@code and}, {@code and} tighter than {@code or}.
     */
    public static Filter parseCompound(String text) throws FilterSyntaxException {
        return Parser.parse(Parser.Form.COMPOUND, Objects.requireNonNull(text, "text == null"));
    }
}
