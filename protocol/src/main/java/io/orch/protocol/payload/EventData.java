package io.orch.protocol.payload;

/**
 * An event's {@code data}, one record per event type: {@code started} → {@link StartedData};
 * {@code rebooting} → {@link RebootingData}; {@code rebooted} → {@link RebootedData};
 * {@code reboot_failed} → {@link RebootFailedData}; {@code reboot_interrupted} →
 * {@link RebootInterruptedData}; {@code cancelled} and {@code announce} → {@link NoData}.
 * The mapping lives in {@code Codec.decodeEventData}.
 */
public sealed interface EventData permits NoData, StartedData, RebootingData, RebootedData, RebootFailedData,
        RebootInterruptedData {
    /**
     * The event version whose {@code data} these records encode: the {@code reasons} of {@code rebooting}
     * and {@code rebooted} became reason objects. {@code Event.PROTOCOL} switches to it together with the records.
     */
    String PROTOCOL = "orch.event.v2";
}
