package io.orch.protocol.filter;

import java.util.Optional;

/** The comparison operators of {@code fact OP value}. */
enum Operator {
    EQ("=="),
    NE("!="),
    LT("<"),
    GT(">"),
    LE("<="),
    GE(">="),
    MATCH("=~");

    private final String symbol;

    Operator(String symbol) {
        this.symbol = symbol;
    }

    /** How the operator is written; {@code =} is also read as {@link #EQ} but printed {@code ==}. */
    public String symbol() {
        return symbol;
    }

    /** The operator written as {@code symbol}, accepting {@code =} for {@link #EQ}. */
    public static Optional<Operator> ofSymbol(String symbol) {
        if ("=".equals(symbol)) {
            return Optional.of(EQ);
        }
        for (Operator op : values()) {
            if (op.symbol.equals(symbol)) {
                return Optional.of(op);
            }
        }
        return Optional.empty();
    }

    /** Whether a comparison result ({@code <0}, {@code 0}, {@code >0}) satisfies this operator; false for {@link #MATCH}. */
    boolean holds(int comparison) {
        return switch (this) {
            case EQ -> comparison == 0;
            case NE -> comparison != 0;
            case LT -> comparison < 0;
            case GT -> comparison > 0;
            case LE -> comparison <= 0;
            case GE -> comparison >= 0;
            case MATCH -> false;
        };
    }
}
