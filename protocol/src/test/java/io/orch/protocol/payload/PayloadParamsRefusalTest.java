package io.orch.protocol.payload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.InvalidMessageException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Params are accepted and refused exactly as nodes have done it (RebootResource.fromParams,
 * Responder.status and Responder.cancel), with the same messages, in the same order.
 */
class PayloadParamsRefusalTest {
    private static final String REASON = ", which is not a reason name (like kernel_update)";
    private final Codec codec = new Codec();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {"force":"yes"}                          | param 'force' must be true or false
            {"force":null}                           | param 'force' must be true or false
            {"when":1}                               | param 'when' must be the string 'pending' or 'refreshed'
            {"when":"always"}                        | param 'when' must be 'pending' or 'refreshed', got 'always'
            {"when":"refreshed"}                     | when => refreshed reboots even when nothing is pending; it needs force: true
            {"when":"refreshed","force":false}       | when => refreshed reboots even when nothing is pending; it needs force: true
            {"noop":"false"}                         | param 'noop' must be true or false
            {"noop":null}                            | param 'noop' must be true or false
            {"delay_s":1.5}                          | param 'delay_s' must be a whole number of seconds
            {"delay_s":60.0}                         | param 'delay_s' must be a whole number of seconds
            {"delay_s":"60"}                         | param 'delay_s' must be a whole number of seconds
            {"delay_s":100000000000000000000}        | param 'delay_s' must be a whole number of seconds
            {"delay_s":-1}                           | param 'delay_s' must be between 0 and 86400, got -1
            {"delay_s":86401}                        | param 'delay_s' must be between 0 and 86400, got 86401
            {"delay_s":5000000000}                   | param 'delay_s' must be between 0 and 86400, got 5000000000
            {"message":7}                            | param 'message' must be a string of at most 400 characters
            {"message":"a\\nb"}                      | param 'message' must not contain control characters
            {"message":"-P"}                         | param 'message' must not start with '-': the reboot command would read it as an option
            {"onlyif":"kernel_update"}               | param 'onlyif' must be a list of 1-32 reason names
            {"onlyif":[]}                            | param 'onlyif' must be a list of 1-32 reason names
            {"unless":{}}                            | param 'unless' must be a list of 1-32 reason names
            {"onlyif":["Kernel"]}                    | param 'onlyif' holds 'Kernel'""" + REASON + """
            
            {"onlyif":[""]}                          | param 'onlyif' holds ''""" + REASON + """
            
            {"unless":[5]}                           | param 'unless' holds '5'""" + REASON + """
            
            {"unless":[1.5]}                         | param 'unless' holds '1.5'""" + REASON + """
            
            {"unless":[null]}                        | param 'unless' holds 'null'""" + REASON + """
            
            {"unless":[{"a":1}]}                     | param 'unless' holds '{a=1}'""" + REASON + """
            
            {"unless":[["a","b"]]}                   | param 'unless' holds '[a, b]'""" + REASON + """
            
            {"onlyif":["a"],"unless":["b"]}          | params 'onlyif' and 'unless' cannot both be given
            {"force":1,"when":2,"delay_s":-1}        | param 'force' must be true or false
            {"when":"x","noop":1}                    | param 'when' must be 'pending' or 'refreshed', got 'x'
            {"delay_s":-1,"message":7}               | param 'delay_s' must be between 0 and 86400, got -1
            {"message":"-x","onlyif":[]}             | param 'message' must not start with '-': the reboot command would read it as an option
            {"onlyif":[],"unless":[]}                | param 'onlyif' must be a list of 1-32 reason names
            """)
    void rebootParamsAreRefusedAsNodesRefuseThem(String json, String message) throws Exception {
        assertRefused(Action.REBOOT, json, message);
    }

    @Test
    void rebootMessageAndReasonListLimitsAreTheNodes() throws Exception {
        assertRefused(Action.REBOOT, "{\"message\":\"" + "m".repeat(401) + "\"}",
                "param 'message' must be a string of at most 400 characters");
        assertEquals("m".repeat(400), codec.decodeRebootParams(Map.of("message", "m".repeat(400))).message());
        assertRefused(Action.REBOOT, "{\"onlyif\":[\"" + "a".repeat(65) + "\"]}",
                "param 'onlyif' holds '" + "a".repeat(65) + "'" + REASON);
        List<String> many = java.util.stream.IntStream.range(0, 33).mapToObj(i -> "r" + i).toList();
        assertThrows(InvalidMessageException.class, () -> codec.decodeRebootParams(Map.of("onlyif", many)));
        assertEquals(32, codec.decodeRebootParams(Map.of("onlyif", many.subList(0, 32))).onlyif().size());
    }

    @Test
    void rebootParamsDefaultsAndNullsReadAsNodesReadThem() throws Exception {
        assertEquals(RebootParams.DEFAULT, decode(Action.REBOOT, "{}"));
        assertEquals(RebootParams.DEFAULT, decode(Action.REBOOT,
                "{\"when\":null,\"delay_s\":null,\"message\":null,\"onlyif\":null,\"unless\":null,\"x\":[1]}"));
        assertEquals(new RebootParams(RebootParams.When.REFRESHED, true, true, 0, "", List.of(), List.of()),
                decode(Action.REBOOT, "{\"when\":\"refreshed\",\"force\":true,\"noop\":true,\"delay_s\":0,\"message\":\"\"}"));
        // force without refreshed is accepted and changes nothing, as on a node.
        assertEquals(new RebootParams(RebootParams.When.PENDING, true, false, 60, null, List.of(), List.of()),
                decode(Action.REBOOT, "{\"force\":true}"));
        assertEquals(86_400, ((RebootParams) decode(Action.REBOOT, "{\"delay_s\":86400}")).delaySeconds());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {"facts":"os.family"}        | param 'facts' must be an array of fact paths
            {"facts":["os",1]}           | param 'facts' must be an array of fact paths
            {"facts":[null]}             | param 'facts' must be an array of fact paths
            {"facts":{}}                 | param 'facts' must be an array of fact paths
            """)
    void statusFactsAreRefusedAsNodesRefuseThem(String json, String message) throws Exception {
        assertRefused(Action.STATUS, json, message);
    }

    @Test
    void statusFactsNullOrMissingAreNotAskedButEmptyIsAsked() throws Exception {
        assertEquals(StatusParams.NONE, decode(Action.STATUS, "{\"facts\":null}"));
        assertEquals(StatusParams.NONE, decode(Action.STATUS, "{\"other\":1}"));
        assertEquals(new StatusParams(List.of()), decode(Action.STATUS, "{\"facts\":[]}"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {"request_id":5}                          | param 'request_id' must be a string and 'request_ids' an array of strings
            {"request_ids":"r1"}                      | param 'request_id' must be a string and 'request_ids' an array of strings
            {"request_ids":["r1",2]}                  | param 'request_id' must be a string and 'request_ids' an array of strings
            {"request_ids":[null]}                    | param 'request_id' must be a string and 'request_ids' an array of strings
            {"request_id":[],"request_ids":[]}        | param 'request_id' must be a string and 'request_ids' an array of strings
            {"request_ids":[]}                        | param 'request_ids' must hold 1 to 1000 request ids
            {"request_id":"r1","request_ids":[]}      | param 'request_ids' must hold 1 to 1000 request ids
            """)
    void cancelParamsAreRefusedAsNodesRefuseThem(String json, String message) throws Exception {
        assertRefused(Action.CANCEL, json, message);
    }

    @Test
    void cancelTargetsAreTheUnionAndNothingMeansAny() throws Exception {
        List<String> thousand = java.util.stream.IntStream.range(0, 1000).mapToObj(i -> "r" + i).toList();
        assertEquals(1000, codec.decodeCancelParams(Map.of("request_ids", thousand)).targets().size());
        List<String> tooMany = java.util.stream.IntStream.range(0, 1001).mapToObj(i -> "r" + i).toList();
        assertThrows(InvalidMessageException.class, () -> codec.decodeCancelParams(Map.of("request_ids", tooMany)));
        assertEquals(java.util.Set.of("a", "b"), ((CancelParams) decode(Action.CANCEL,
                "{\"request_id\":\"a\",\"request_ids\":[\"a\",\"b\"]}")).targets());
        assertEquals(CancelParams.ANY, decode(Action.CANCEL, "{\"request_id\":null,\"request_ids\":null}"));
        assertEquals(java.util.Set.of(), CancelParams.ANY.targets());
    }

    @Test
    void pingAndDiscoverIgnoreWhateverParamsCome() throws Exception {
        assertEquals(NoData.INSTANCE, decode(Action.PING, "{\"delay_s\":\"x\"}"));
        assertEquals(NoData.INSTANCE, decode(Action.DISCOVER, "{}"));
        assertEquals(NoData.INSTANCE, codec.decodeParams(Action.PING, null));
    }

    @Test
    void recordsRefuseWhatNodesRefuse() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RebootParams(
                RebootParams.When.REFRESHED, false, false, 60, null, List.of(), List.of()));
        assertEquals("when => refreshed reboots even when nothing is pending; it needs force: true", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RebootParams(RebootParams.When.PENDING, false, false,
                60, "-P", List.of(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new RebootParams(RebootParams.When.PENDING, false, false,
                60, null, List.of("a"), List.of("b")));
        assertThrows(IllegalArgumentException.class, () -> new CancelParams(null, List.of()));
    }

    private void assertRefused(Action action, String json, String message) throws Exception {
        InvalidMessageException e = assertThrows(InvalidMessageException.class, () -> decode(action, json));
        assertEquals(message, e.getMessage());
    }

    @SuppressWarnings("unchecked")
    private ActionParams decode(Action action, String json) throws Exception {
        return codec.decodeParams(action, codec.mapper().readValue(json, Map.class));
    }
}
