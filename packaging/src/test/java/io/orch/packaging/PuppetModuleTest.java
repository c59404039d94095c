package io.orch.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.orch.cli.config.ClientConfig;
import io.orch.responder.config.ResponderConfig;
import io.orch.responder.config.ResponderWiring;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/puppet/orch as Puppet itself reads it (Debian's puppet package): the manifests parse, the templates make
 * configs that orch's own loaders take, and {@code puppet apply --noop} of both classes against a fixture names
 * every resource a node and an operator host would get. Nothing is applied.
 */
class PuppetModuleTest {
    private static final Path MODULES = Path.of("..", "deploy", "puppet").toAbsolutePath().normalize();
    private static final Path MODULE = MODULES.resolve("orch");

    @TempDir
    Path dir;

    /** @param out stdout, then stderr: a rendered template is stdout alone ({@link #stdout}) */
    private record Run(int exit, String out, String stdout) {
    }

    @BeforeAll
    static void puppetIsThere() {
        // .ci/run installs it; a developer without Puppet skips these.
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/puppet")) || System.getenv("CI") != null,
                "Debian's puppet package is not installed");
    }

    private Run puppet(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("puppet"));
        command.addAll(List.of(args));
        Path err = Files.createTempFile(dir, "puppet", ".err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(err.toFile()).directory(dir.toFile());
        pb.environment().put("HOME", dir.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "puppet still running");
        return new Run(p.exitValue(), out + Files.readString(err), out);
    }

    /** Puppet's own state stays in the test's folder; the node is web01.example.com. */
    private List<String> sandbox() {
        return List.of("--confdir", dir.resolve("conf").toString(), "--vardir", dir.resolve("var").toString(),
                "--codedir", dir.resolve("code").toString(), "--modulepath", MODULES.toString(), "--color=false");
    }

    /** Lines that say something went wrong, but for facter's complaints about this sandbox's /proc. */
    private static List<String> errors(String out) {
        return out.lines().map(l -> l.replaceAll("\u001b\\[[0-9;]*m", ""))
                .filter(l -> l.startsWith("Error:") && !l.startsWith("Error: Facter:")).toList();
    }

    @Test
    void everyManifestAndTemplateParses() throws Exception {
        List<String> manifests;
        try (Stream<Path> files = Files.list(MODULE.resolve("manifests"))) {
            manifests = files.map(Path::toString).sorted().toList();
        }
        assertEquals(List.of("client.pp", "dir.pp", "responder.pp"), manifests.stream().map(m -> Path.of(m).getFileName()
                .toString()).toList());
        List<String> validate = new ArrayList<>(List.of("parser", "validate"));
        validate.addAll(manifests);
        Run parsed = puppet(validate.toArray(String[]::new));
        assertEquals(0, parsed.exit(), parsed.out());
        Run epp = puppet("epp", "validate", MODULE.resolve("templates/responder.yaml.epp").toString(),
                MODULE.resolve("templates/client.yaml.epp").toString());
        assertEquals(0, epp.exit(), epp.out());
    }

    @Test
    void theRespondersConfigIsOneTheResponderTakesWithThePuppetCertificateCopiedForIt() throws Exception {
        Run r = puppet("epp", "render", "--modulepath", MODULES.toString(),
                MODULE.resolve("templates/responder.yaml.epp").toString(), "--values",
                "{broker => 'failover:(ssl://mq1.example.com:61617,ssl://mq2.example.com:61617)', collective => 'prod', "
                        + "identity => 'web01.example.com', ssl_dir => '/etc/orch/ssl', executor => 'system', "
                        + "allow_force => false, min_interval_s => 1800, lock_wait_s => 1800, "
                        + "lock_files => ['/var/lib/puppet/state/agent_catalog_run.lock'], facts_files => ['/etc/orch/facts.yaml'], "
                        + "registry_interval_s => 600, metrics_textfile => '/var/lib/prometheus/node-exporter/orch.prom', "
                        + "metrics_listen => '127.0.0.1:9469'}");
        assertEquals(0, r.exit(), r.out());
        Path yaml = dir.resolve("responder.yaml");
        Files.writeString(yaml, r.stdout());

        ResponderConfig config = ResponderConfig.load(yaml);
        assertEquals("web01.example.com", config.identity());
        assertEquals("prod", config.collective());
        assertEquals("failover:(ssl://mq1.example.com:61617,ssl://mq2.example.com:61617)", config.broker());
        assertEquals("system", config.reboot().executor());
        assertEquals(List.of("/var/lib/puppet/state/agent_catalog_run.lock"), config.reboot().lockFiles());
        assertEquals(List.of("/etc/orch/facts.yaml"), config.facts().files());
        assertEquals("/etc/orch/ssl", config.security().sslDir());
        assertEquals(new ResponderConfig.Metrics("/var/lib/prometheus/node-exporter/orch.prom", 60, "127.0.0.1:9469"),
                ResponderWiring.metrics(config.metrics()));
        ResponderWiring.freshness(config.requests());
        ResponderWiring.policy(config.reboot());
    }

    @Test
    void theClientsConfigIsOneTheCliTakesWithItsWebhookAndSettings() throws Exception {
        Run r = puppet("epp", "render", "--modulepath", MODULES.toString(),
                MODULE.resolve("templates/client.yaml.epp").toString(), "--values",
                "{broker => 'ssl://mq1.example.com:61617', collective => 'prod', ssl_dir => \"/etc/orch/o'brien ssl: #1\", "
                        + "certname => 'changewindow', notify_url => 'https://hooks.example.com/services/T/B/X', "
                        + "settings => {'batch' => '10%', 'wait_timeout' => '30m'}}");
        assertEquals(0, r.exit(), r.out());
        Path yaml = dir.resolve("client.yaml");
        Files.writeString(yaml, r.stdout());

        ClientConfig config = ClientConfig.load(Map.of(), null, yaml);
        assertEquals(List.of(), config.problems());
        assertEquals("ssl://mq1.example.com:61617", config.setting(ClientConfig.Key.BROKER).value());
        assertEquals("prod", config.setting(ClientConfig.Key.COLLECTIVE).value());
        assertEquals("changewindow", config.setting(ClientConfig.Key.CERTNAME).value());
        // Quotes, colons and hashes in a value stay in the value.
        assertEquals("/etc/orch/o'brien ssl: #1", config.setting(ClientConfig.Key.SSL_DIR).value());
        assertEquals("https://hooks.example.com/services/T/B/X", config.setting(ClientConfig.Key.NOTIFY).value());
        assertEquals("10%", config.setting(ClientConfig.Key.BATCH).value());
        assertEquals("30m", config.setting(ClientConfig.Key.WAIT_TIMEOUT).value());
    }

    @Test
    void applyingBothClassesWouldManageThePackagesConfigsCertificatesPolicyAndService() throws Exception {
        Path ssl = dir.resolve("puppet-ssl");
        for (String f : List.of("certs/web01.example.com.pem", "private_keys/web01.example.com.pem", "certs/ca.pem",
                "crl.pem")) {
            Files.createDirectories(ssl.resolve(f).getParent());
            Files.writeString(ssl.resolve(f), "fixture " + f + "\n");
        }
        List<String> args = new ArrayList<>(List.of("apply", "--noop", "--detailed-exitcodes",
                "--certname", "web01.example.com"));
        args.addAll(sandbox());
        args.addAll(List.of("-e", "class { 'orch::responder': broker => 'ssl://mq1.example.com:61617', puppet_ssl_dir => '"
                + ssl + "', policy_content => \"rules: []\\n\" }\n"
                + "class { 'orch::client': broker => 'ssl://mq1.example.com:61617', "
                + "notify_url => Sensitive('https://hooks.example.com/services/T/B/X'), group => 'adm' }"));
        Run r = puppet(args.toArray(String[]::new));

        assertTrue(r.exit() == 0 || r.exit() == 2, r.out()); // --detailed-exitcodes: 2 = changes (here: noop ones)
        assertEquals(List.of(), errors(r.out()), r.out());
        for (String resource : List.of(
                "Orch::Responder/Package[orch-responder]/ensure: current_value 'purged', should be 'present' (noop)",
                "Orch::Responder/File[/etc/orch/responder.yaml]/ensure",
                "Orch::Responder/File[/etc/orch/policy.yaml]/ensure",
                "Orch::Responder/File[/etc/orch/ssl/certs/web01.example.com.pem]/ensure",
                "Orch::Responder/File[/etc/orch/ssl/private_keys/web01.example.com.pem]/ensure",
                "Orch::Responder/File[/etc/orch/ssl/certs/ca.pem]/ensure",
                "Orch::Responder/File[/etc/orch/ssl/crl.pem]/ensure",
                "Orch::Responder/Service[orch-responder]/ensure: current_value 'stopped', should be 'running' (noop)",
                "Orch::Client/Package[orch]/ensure: current_value 'purged', should be 'present' (noop)",
                "Orch::Client/File[/etc/orch/client.yaml]/ensure",
                "Orch::Dir/File[/etc/orch]/ensure")) {
            assertTrue(r.out().contains("/Stage[main]/" + resource), resource + " in:\n" + r.out());
        }
        assertTrue(!r.out().contains("services/T/B/X"), "the webhook's secret is not shown: " + r.out());
    }

    @Test
    void aWebhookWithoutTheOperatorsGroupOrInSettingsIsRefusedByName() throws Exception {
        for (String[] c : List.of(
                new String[] {"notify_url => 'https://hooks.example.com/x'",
                        "notify_url makes client.yaml readable by root and group only"},
                new String[] {"settings => { 'notify' => 'https://hooks.example.com/x' }",
                        "give the webhook as notify_url (kept secret), not in settings"})) {
            List<String> args = new ArrayList<>(List.of("apply", "--noop", "--certname", "jump1.example.com"));
            args.addAll(sandbox());
            args.addAll(List.of("-e", "class { 'orch::client': broker => 'ssl://mq1:61617', " + c[0] + " }"));
            Run r = puppet(args.toArray(String[]::new));

            assertNotEquals(0, r.exit(), r.out());
            assertTrue(r.out().contains("orch::client: " + c[1]), r.out());
        }
    }

    @Test
    void aPolicyGivenTwiceIsRefusedByName() throws Exception {
        List<String> args = new ArrayList<>(List.of("apply", "--noop", "--certname", "web01.example.com"));
        args.addAll(sandbox());
        args.addAll(List.of("-e", "class { 'orch::responder': broker => 'ssl://mq1:61617', policy_content => 'x', "
                + "policy_source => 'puppet:///modules/site/policy.yaml' }"));
        Run r = puppet(args.toArray(String[]::new));

        assertNotEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("orch::responder: give policy_content or policy_source, not both"), r.out());
    }
}
