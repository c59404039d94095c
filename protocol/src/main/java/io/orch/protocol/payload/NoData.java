package io.orch.protocol.payload;

/**
 * The empty object {@code {}}: the params of {@code ping} and {@code discover}, the data of
 * {@code discover} and {@code cancel} replies and of every refusal ({@code invalid}, {@code denied},
 * {@code expired}, {@code not_matched}), and the data of {@code cancelled} events.
 */
public record NoData() implements ActionParams, ReplyData, EventData {
    public static final NoData INSTANCE = new NoData();
}
