package io.orch.protocol.payload;

/**
 * A request's {@code params}, one record per action: {@code ping}, {@code discover} → {@link NoData};
 * {@code status} → {@link StatusParams}; {@code reboot} → {@link RebootParams}; {@code cancel} →
 * {@link CancelParams}. The mapping lives in {@code Codec.decodeParams}.
 */
public sealed interface ActionParams permits NoData, StatusParams, RebootParams, CancelParams {
}
