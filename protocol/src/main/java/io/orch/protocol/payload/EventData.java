package io.orch.protocol.payload;

/**
 * An event's {@code data}, one record per event type: {@code started} → {@link StartedData};
 * {@code rebooting} → {@link RebootingData}; {@code rebooted} → {@link RebootedData};
 * {@code reboot_failed} → {@link RebootFailedData}; {@code reboot_interrupted} →
 * {@link RebootInterruptedData}; {@code cancelled} and {@code announce} → {@link NoData}.
 * The mapping lives in the codec's {@code PayloadCodec}.
 */
public sealed interface EventData permits NoData, StartedData, RebootingData, RebootedData, RebootFailedData,
        RebootInterruptedData {
}
