package io.orch.protocol.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
