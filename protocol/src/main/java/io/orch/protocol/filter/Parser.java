package io.orch.protocol.filter;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.orch.protocol.Limits;
import java.util.ArrayList;
import java.util.List;

/**
 * A hand-written scanner and recursive-descent parser for the three filter forms. One instance
 * reads one input; every failure is a {@link FilterSyntaxException} naming a position and token.
 *
 * <pre>
 * compound   := or
 * or         := and ("or" and)*
 * and        := unary ("and" unary)*
 * unary      := ("not" | "!") unary | "(" or ")" | comparison
 * comparison := name ws* operator ws* value
 * value      := "/" regex "/" ["i"] | '"' chars '"' | "'" chars "'" | bare
 * </pre>
 *
 * A bare value runs to the end of a {@code -F} and to the next space or parenthesis in a
 * {@code -S}; regexes and quoted values are read whole in both.
 *
 * <p>Every input is read twice: first {@link #scan scanned}, which checks the syntax and each
 * regex's own budget and adds what the text holds to a {@link FilterBudget}, compiling nothing;
 * only a filter within the budget is then {@link #compile compiled}.
 */
final class Parser {

    /** The three forms a filter part is written in. */
    enum Form { FACT, IDENTITY, COMPOUND }

    private static final String OPERATORS = "==, =, !=, <, >, <=, >=, =~";

    private final String input;
    private final boolean compound;
    /** Set while scanning: what the text holds is counted here and nothing is compiled. */
    private final FilterBudget budget;
    private int pos;

    private Parser(String input, Form form, FilterBudget budget) {
        this.input = input;
        this.compound = form == Form.COMPOUND;
        this.budget = budget;
    }

    /** One part on its own, as its own request's filter: scanned, checked against the budget, compiled. */
    static Filter parse(Form form, String text) throws FilterSyntaxException {
        FilterBudget budget = new FilterBudget();
        scan(form, text, budget);
        budget.check();
        return compile(form, text);
    }

    /** Checks the syntax of {@code text} and adds what it holds to {@code budget}; compiles nothing. */
    static void scan(Form form, String text, FilterBudget budget) throws FilterSyntaxException {
        new Parser(text, form, budget).read(form);
    }

    /** Compiles {@code text}; only after it was {@link #scan scanned} within its request's budget. */
    static Filter compile(Form form, String text) throws FilterSyntaxException {
        return new Parser(text, form, null).read(form);
    }

    private Filter read(Form form) throws FilterSyntaxException {
        return switch (form) {
            case FACT -> fact();
            case IDENTITY -> identity();
            case COMPOUND -> compound();
        };
    }

    private Filter fact() throws FilterSyntaxException {
        skipSpace();
        if (atEnd()) {
            throw error(0, "", "empty fact filter, expected 'fact OP value'");
        }
        Filter c = comparison();
        skipSpace();
        if (!atEnd()) {
            throw error(pos, wordAt(pos), "unexpected text after the value");
        }
        return c;
    }

    private Filter identity() throws FilterSyntaxException {
        skipSpace();
        if (atEnd()) {
            throw error(0, "", "empty identity filter, expected an identity or /regex/");
        }
        if (peek() != '/') {
            int start = pos;
            while (!atEnd() && !Character.isWhitespace(peek())) {
                pos++;
            }
            String identity = input.substring(start, pos);
            skipSpace();
            if (!atEnd()) {
                throw error(pos, wordAt(pos), "unexpected text after the identity; give one identity per -I");
            }
            if (budget != null) {
                budget.identity();
            }
            return IdentityMatch.exact(identity);
        }
        Pattern regex = regex();
        skipSpace();
        if (!atEnd()) {
            throw error(pos, wordAt(pos), "unexpected text after the regex");
        }
        return regex == null ? Filter.MATCH_ALL : new IdentityMatch(regex.pattern(), regex);
    }

    private Filter compound() throws FilterSyntaxException {
        skipSpace();
        if (atEnd()) {
            throw error(0, "", "empty expression");
        }
        Filter f = or(0);
        skipSpace();
        if (!atEnd()) {
            if (peek() == ')') {
                throw error(pos, ")", "unmatched ')'");
            }
            String word = wordAt(pos);
            throw error(pos, word, "expected 'and' or 'or' before '" + word + "'");
        }
        return f;
    }

    // ---- compound expressions

    private Filter or(int depth) throws FilterSyntaxException {
        List<Filter> operands = new ArrayList<>();
        operands.add(and(depth));
        while (true) {
            skipSpace();
            int at = pos;
            if (!keyword("or")) {
                break;
            }
            operands.add(and(depth, at, input.substring(at, pos)));
        }
        return operands.size() == 1 ? operands.get(0) : new Or(operands);
    }

    private Filter and(int depth) throws FilterSyntaxException {
        return and(depth, -1, null);
    }

    /** {@code after}/{@code afterAt}: the token before this operand, for "dangling" errors. */
    private Filter and(int depth, int afterAt, String after) throws FilterSyntaxException {
        List<Filter> operands = new ArrayList<>();
        operands.add(unary(depth, afterAt, after));
        while (true) {
            skipSpace();
            int at = pos;
            if (!keyword("and")) {
                break;
            }
            operands.add(unary(depth, at, input.substring(at, pos)));
        }
        return operands.size() == 1 ? operands.get(0) : new And(operands);
    }

    private Filter unary(int depth, int afterAt, String after) throws FilterSyntaxException {
        skipSpace();
        if (atEnd()) {
            if (after == null) {
                throw error(pos, "", "empty expression");
            }
            if (after.equals("(")) {
                throw error(afterAt, "(", "unmatched '('");
            }
            throw error(afterAt, after, "dangling '" + after + "': nothing follows it");
        }
        int at = pos;
        char c = peek();
        if (c == '!' || keyword("not")) {
            if (c == '!') {
                pos++;
            }
            nest(depth, at);
            return new Not(unary(depth + 1, at, input.substring(at, pos)));
        }
        if (c == '(') {
            nest(depth, at);
            pos++;
            Filter inner = parenthesized(depth + 1, at);
            skipSpace();
            if (atEnd()) {
                throw error(at, "(", "unmatched '('");
            }
            if (peek() != ')') {
                String word = wordAt(pos);
                throw error(pos, word, "expected 'and', 'or' or ')' before '" + word + "'");
            }
            pos++;
            return inner;
        }
        if (c == ')') {
            if (after == null) {
                throw error(pos, ")", "unmatched ')'");
            }
            if (after.equals("(")) {
                throw error(pos, ")", "empty parentheses");
            }
            throw error(pos, ")", "expected a fact comparison after '" + after + "', found ')'");
        }
        if (keyword("and") || keyword("or")) {
            String word = input.substring(at, pos);
            throw error(at, word, "expected a fact comparison before '" + word + "'");
        }
        return comparison();
    }

    /** The expression inside parentheses opened at {@code open}. */
    private Filter parenthesized(int depth, int open) throws FilterSyntaxException {
        skipSpace();
        if (atEnd() || peek() == ')') {
            unary(depth, open, "("); // throws the right error for "(" and "()"
        }
        return or(depth);
    }

    private void nest(int depth, int at) throws FilterSyntaxException {
        if (depth >= Limits.MAX_FILTER_DEPTH) {
            throw error(at, wordAt(at), "expression nested more than " + Limits.MAX_FILTER_DEPTH + " deep");
        }
    }

    /**
     * Consumes {@code word} (any case) when it is a whole word at the position. Keywords are
     * reserved: {@code not=1} is {@code not} followed by {@code =1}, never a fact named "not".
     */
    private boolean keyword(String word) {
        int end = pos + word.length();
        if (!input.regionMatches(true, pos, word, 0, word.length())) {
            return false;
        }
        if (end < input.length() && isNameChar(input.charAt(end))) {
            return false;
        }
        pos = end;
        return true;
    }

    // ---- fact comparisons

    /** A comparison; while scanning, a placeholder for one with a regex (nothing is compiled then). */
    private Filter comparison() throws FilterSyntaxException {
        int nameAt = pos;
        while (!atEnd() && isNameChar(peek())) {
            pos++;
        }
        String name = input.substring(nameAt, pos);
        if (name.isEmpty()) {
            throw error(nameAt, wordAt(nameAt), "expected a fact name");
        }
        if (name.startsWith(".") || name.endsWith(".") || name.contains("..")) {
            throw error(nameAt, name, "fact name '" + name + "' has an empty path segment");
        }
        skipSpace();
        int opAt = pos;
        while (!atEnd() && isOperatorChar(peek())) {
            pos++;
        }
        String symbol = input.substring(opAt, pos);
        if (symbol.isEmpty()) {
            throw error(opAt, wordAt(opAt), "expected an operator (" + OPERATORS + ") after '" + name + "'");
        }
        Operator op = Operator.ofSymbol(symbol).orElse(null);
        if (op == null) {
            throw error(opAt, symbol, "unknown operator '" + symbol + "', expected one of " + OPERATORS);
        }
        skipSpace();
        int valueAt = pos;
        if (atEnd() || (compound && (peek() == '(' || peek() == ')'))) {
            throw error(valueAt, wordAt(valueAt), "missing value after '" + symbol + "'");
        }
        if (op == Operator.MATCH) {
            if (peek() != '/') {
                throw error(valueAt, wordAt(valueAt), "expected /regex/ after '=~'");
            }
            Pattern regex = regex();
            return regex == null ? Filter.MATCH_ALL : new FactComparison(name, op, regex.pattern(), regex);
        }
        if (budget != null) {
            budget.comparison();
        }
        String value;
        char c = peek();
        if (c == '"' || c == '\'') {
            value = quoted();
        } else if (compound) {
            while (!atEnd() && !Character.isWhitespace(peek()) && peek() != '(' && peek() != ')') {
                pos++;
            }
            value = input.substring(valueAt, pos);
        } else {
            value = input.substring(valueAt).strip();
            pos = input.length();
        }
        return new FactComparison(name, op, value, null);
    }

    /** A {@code "…"} (with {@code \"} and {@code \\} escapes) or {@code '…'} (no escapes) value. */
    private String quoted() throws FilterSyntaxException {
        int at = pos;
        char quote = input.charAt(pos++);
        StringBuilder value = new StringBuilder();
        while (true) {
            if (atEnd()) {
                throw error(at, input.substring(at), "unterminated quoted value, missing closing " + quote);
            }
            char c = input.charAt(pos);
            if (quote == '"' && c == '\\' && pos + 1 < input.length()
                    && (input.charAt(pos + 1) == '"' || input.charAt(pos + 1) == '\\')) {
                value.append(input.charAt(pos + 1));
                pos += 2;
            } else if (c == quote) {
                pos++;
                break;
            } else {
                value.append(c);
                pos++;
            }
        }
        endOfToken("quoted value");
        return value.toString();
    }

    /**
     * A {@code /…/} regex with an optional {@code i} flag; {@code \/} is a literal slash. While
     * scanning, it is only counted and null is returned.
     */
    private Pattern regex() throws FilterSyntaxException {
        int at = pos++;
        StringBuilder source = new StringBuilder();
        while (true) {
            if (atEnd()) {
                throw error(at, input.substring(at), "unterminated regex, missing closing '/'");
            }
            char c = input.charAt(pos);
            if (c == '\\' && pos + 1 < input.length()) {
                char next = input.charAt(pos + 1);
                if (next != '/') {
                    source.append(c);
                }
                source.append(next);
                pos += 2;
            } else if (c == '/') {
                pos++;
                break;
            } else {
                source.append(c);
                pos++;
            }
        }
        int flags = 0;
        while (!atEnd() && Character.isLetterOrDigit(peek())) {
            if (peek() != 'i') {
                throw error(pos, wordAt(pos), "unknown regex flag '" + peek() + "', only 'i' (ignore case) is supported");
            }
            flags = Pattern.CASE_INSENSITIVE;
            pos++;
        }
        String token = input.substring(at, pos);
        endOfToken("regex");
        RegexBudget.Estimate cost = RegexBudget.estimate(source.toString());
        if (cost.refused()) {
            throw error(at, token, cost.refusal());
        }
        if (budget != null) {
            budget.regex(cost.size());
            return null;
        }
        String unfoldable = CaseFoldGuard.check(source.toString(), flags);
        if (unfoldable != null) {
            throw error(at, token, unfoldable);
        }
        try {
            return Pattern.compile(source.toString(), flags);
        } catch (PatternSyntaxException e) {
            throw error(at, token, e.getDescription() + " in regex");
        } catch (RuntimeException | StackOverflowError e) {
            throw error(at, token, "regex cannot be compiled (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** After a quoted value or regex: the end, a space, or (in a compound) a closing parenthesis. */
    private void endOfToken(String what) throws FilterSyntaxException {
        if (atEnd() || Character.isWhitespace(peek()) || (compound && peek() == ')')) {
            return;
        }
        throw error(pos, wordAt(pos), "unexpected '" + peek() + "' right after the " + what);
    }

    // ---- scanning

    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.';
    }

    private static boolean isOperatorChar(char c) {
        return c == '=' || c == '!' || c == '<' || c == '>' || c == '~';
    }

    private boolean atEnd() {
        return pos >= input.length();
    }

    private char peek() {
        return input.charAt(pos);
    }

    private void skipSpace() {
        while (!atEnd() && Character.isWhitespace(peek())) {
            pos++;
        }
    }

    /** The token at {@code at} for messages: a parenthesis, or the text up to the next space or parenthesis. */
    private String wordAt(int at) {
        if (at >= input.length()) {
            return "";
        }
        char c = input.charAt(at);
        if (c == '(' || c == ')') {
            return String.valueOf(c);
        }
        int end = at;
        while (end < input.length() && !Character.isWhitespace(input.charAt(end))
                && (!compound || (input.charAt(end) != '(' && input.charAt(end) != ')'))) {
            end++;
        }
        return input.substring(at, end);
    }

    private FilterSyntaxException error(int at, String token, String reason) {
        return new FilterSyntaxException(input, at, token, reason);
    }
}
