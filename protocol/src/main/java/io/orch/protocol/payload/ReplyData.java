package io.orch.protocol.payload;

/**
 * A reply's {@code data}, one record per action: {@code ping} → {@link PingData}; {@code status} →
 * {@link StatusData}; {@code reboot} → {@link RebootData}; {@code discover}, {@code cancel} and every
 * reply whose data is {@code {}} → {@link NoData}. The mapping lives in the codec's {@code PayloadCodec}.
 */
public sealed interface ReplyData permits NoData, PingData, StatusData, RebootData {
    /** The names of the pending reasons the reply gives, in order: those of a status or reboot reply, else none. */
    default java.util.List<String> reasonNames() {
        return java.util.List.of();
    }
}
