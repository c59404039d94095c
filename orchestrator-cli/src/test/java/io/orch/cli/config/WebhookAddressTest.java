package io.orch.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WebhookAddressTest {
    @Test
    void httpAndHttpsAddressesWithAHostAreTaken() {
        assertNull(WebhookAddress.problem("https://hooks.slack.com/services/T0/B0/XXXX"));
        assertNull(WebhookAddress.problem("http://127.0.0.1:8080/hook"));
        assertNull(WebhookAddress.problem("  https://chat.example.com/hooks/abc  "));
    }

    @Test
    void everythingElseIsRefusedWithoutPrintingThePath() {
        assertEquals("the value is empty", WebhookAddress.problem(" "));
        assertTrue(WebhookAddress.problem("file:///etc/passwd").contains("is not an http or https address"));
        assertTrue(WebhookAddress.problem("hooks.slack.com/services/x").contains("is not an http or https address"));
        assertTrue(WebhookAddress.problem("https:///nohost").contains("names no host"));
        String withPassword = WebhookAddress.problem("https://bot:hunter2@chat.example.com/hook");
        assertTrue(withPassword.contains("has a user name or password in it"), withPassword);
        assertFalse(withPassword.contains("hunter2"), withPassword);
        String bad = WebhookAddress.problem("https://chat.example.com/a b/secret");
        assertTrue(bad.contains("is not an address"), bad);
        assertFalse(bad.contains("secret"), bad);
    }

    @Test
    void onlySchemeHostAndPortAreShown() {
        assertEquals("https://hooks.slack.com/...", WebhookAddress.redacted("https://hooks.slack.com/services/T/B/S"));
        assertEquals("http://127.0.0.1:9/...", WebhookAddress.redacted("http://127.0.0.1:9/x?token=s"));
        assertEquals("(an address that is not shown)", WebhookAddress.redacted("not an address at all"));
    }

    @Test
    void plainHttpIsUnencryptedUnlessItStaysOnThisMachine() {
        assertTrue(WebhookAddress.unencrypted(WebhookAddress.of("http://chat.example.com/hooks/x")));
        assertFalse(WebhookAddress.unencrypted(WebhookAddress.of("https://chat.example.com/hooks/x")));
        assertFalse(WebhookAddress.unencrypted(WebhookAddress.of("http://127.0.0.1:8080/hooks/x")));
        assertFalse(WebhookAddress.unencrypted(WebhookAddress.of("http://localhost/hooks/x")));
        assertFalse(WebhookAddress.unencrypted(WebhookAddress.of("http://[::1]:9/hooks/x")));
    }
}
