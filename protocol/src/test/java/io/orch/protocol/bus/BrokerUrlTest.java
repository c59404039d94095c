package io.orch.protocol.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.orch.protocol.Limits;
import org.junit.jupiter.api.Test;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BrokerUrlTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ssl://mq1:61617|ssl://mq1:61617",
            "tcp://alice:s3cret@mq1:61616|tcp://***@mq1:61616",
            "ssl://mq1:61617?jms.userName=alice&jms.password=s3cret|ssl://mq1:61617?jms.userName=alice&jms.password=***",
            "failover:(ssl://a:61617?keyStorePassword=x,ssl://b:61617)?randomize=false&trustStorePassword=y"
                    + "|failover:(ssl://a:61617?keyStorePassword=***,ssl://b:61617)?randomize=false&trustStorePassword=***",
            "tcp://mq1:61616?wireFormat.maxInactivityDuration=0|tcp://mq1:61616?wireFormat.maxInactivityDuration=0"})
    void secretsNeverShow(String url, String shown) {
        assertEquals(shown, BrokerUrl.redact(url));
    }

    private static final String LIMITS = "wireFormat.maxFrameSize=" + Limits.MAX_FRAME_BYTES
            + "&wireFormat.maxInactivityDuration=" + Limits.MAX_INACTIVITY_MS;

    @Test
    void everySocketTransportGetsTheFrameSizeAndInactivityLimits() {
        assertEquals("ssl://mq1:61617?" + LIMITS, BrokerUrl.withTransportLimits("ssl://mq1:61617"));
        assertEquals("failover:(ssl://a:61617?needClientAuth=true&" + LIMITS + ",tcp://b:61616?" + LIMITS
                        + ")?randomize=false",
                BrokerUrl.withTransportLimits("failover:(ssl://a:61617?needClientAuth=true,tcp://b:61616)?randomize=false"));
        assertEquals("failover:(tcp://a:61616?" + LIMITS + ",tcp://b:61616?" + LIMITS + ")",
                BrokerUrl.withTransportLimits("failover:tcp://a:61616,tcp://b:61616"));
        assertEquals("vm://localhost", BrokerUrl.withTransportLimits("vm://localhost"), "no socket, no frames");
    }

    @Test
    void aStricterLimitInTheUrlStaysALooserOneOrZeroIsReplaced() {
        assertEquals("tcp://mq1:61616?wireFormat.maxFrameSize=65536&wireFormat.maxInactivityDuration="
                        + Limits.MAX_INACTIVITY_MS,
                BrokerUrl.withTransportLimits("tcp://mq1:61616?wireFormat.maxFrameSize=65536"));
        assertEquals("tcp://mq1:61616?" + LIMITS, BrokerUrl.withTransportLimits(
                "tcp://mq1:61616?wireFormat.maxFrameSize=104857600&wireFormat.maxInactivityDuration=0"));
    }

    @Test
    void unbalancedFailoverIsLeftForActiveMqToName() {
        assertEquals("failover:(tcp://127.0.0.1:1", BrokerUrl.withTransportLimits("failover:(tcp://127.0.0.1:1"));
        assertEquals("tcp://", BrokerUrl.withTransportLimits("tcp://"));
    }

    @Test
    void nodesReconnectWithACappedBackOffAndKeepTheOperatorsFailoverOptions() {
        String backOff = "initialReconnectDelay=" + Limits.RECONNECT_INITIAL_DELAY_MS + "&maxReconnectDelay="
                + Limits.RECONNECT_MAX_DELAY_MS + "&useExponentialBackOff=true&timeout="
                + Limits.MAX_SEND_WHILE_DISCONNECTED_MS;
        assertEquals("failover:(tcp://mq1:61616?" + LIMITS + ")?" + backOff,
                BrokerUrl.reconnecting("tcp://mq1:61616", 0));
        assertEquals("failover:(tcp://a:61616?" + LIMITS + ",tcp://b:61616?" + LIMITS
                        + ")?randomize=false&maxReconnectDelay=5000&initialReconnectDelay="
                        + Limits.RECONNECT_INITIAL_DELAY_MS + "&useExponentialBackOff=true&timeout="
                        + Limits.MAX_SEND_WHILE_DISCONNECTED_MS + "&startupMaxReconnectAttempts=3",
                BrokerUrl.reconnecting("failover:(tcp://a:61616,tcp://b:61616)?randomize=false&maxReconnectDelay=5000", 3));
    }
}
