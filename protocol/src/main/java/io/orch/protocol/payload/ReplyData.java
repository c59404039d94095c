package io.orch.protocol.payload;

/**
 * A reply's {@code data}, one record per action: {@code ping} → {@link PingData}; {@code status} →
 * {@link StatusData}; {@code reboot} → {@link RebootData}; {@code discover}, {@code cancel} and every
 * reply whose data is {@code {}} → {@link NoData}. The mapping lives in {@code Codec.decodeReplyData}.
 */
public sealed interface ReplyData permits NoData, PingData, StatusData, RebootData {
    /**
     * The reply version whose {@code data} these records encode: {@code resource.reasons} (names) became
     * {@code resource.reason_names}. {@code Reply.PROTOCOL} switches to it together with the records.
     */
    String PROTOCOL = "orch.reply.v2";
}
