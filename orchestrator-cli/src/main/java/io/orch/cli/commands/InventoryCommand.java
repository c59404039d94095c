package io.orch.cli.commands;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orch.cli.ExitCode;
import io.orch.cli.Interrupt;
import io.orch.cli.TimeText;
import io.orch.cli.UsageException;
import io.orch.cli.client.ClientSecurity;
import io.orch.cli.client.OrchClient;
import io.orch.cli.inventory.Inventory;
import io.orch.cli.inventory.InventoryCache;
import io.orch.cli.inventory.KnownNode;
import io.orch.cli.options.BrokerOptions;
import io.orch.cli.options.InventoryOptions;
import io.orch.cli.options.SecurityOptions;
import io.orch.cli.output.SafeText;
import io.orch.cli.run.BrokerUnreachableException;
import io.orch.cli.run.Registry;
import io.orch.protocol.Limits;
import io.orch.protocol.bus.Destinations;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code orch inventory}: the known nodes, from the announcements the broker keeps and this host's record
 * of them ({@link InventoryCache}); {@code --forget ID} drops one from the record.
 */
@Command(name = "inventory", mixinStandardHelpOptions = true,
        description = {"List the known nodes: every node that announced itself on the collective's registry, with "
                + "its state (up, rebooting, stopped), its last announcement (time and age), version and boot id.",
            "Runs expect every known node that is up or rebooting to answer, and report one that does not as no "
                + "response. The list comes from the broker (which keeps each node's latest announcement while it "
                + "runs) and from this host's record of it, which outlives a broker restart.",
            "--forget ID drops a node for good (a decommissioned one): it is known again only once it announces "
                + "again."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:listed (or forgotten)",
            "2:usage or configuration error",
            "3:broker unreachable: the list shown is this host's record only"})
final class InventoryCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = SafeText.escapingInJson(new ObjectMapper());

    @Spec
    CommandSpec spec;

    @Mixin
    BrokerOptions broker;

    @Mixin
    SecurityOptions security;

    @Mixin
    InventoryOptions known;

    @Option(names = "--json", description = "Print one JSON document (protocol orch.inventory.v1) instead of the table.")
    boolean json;

    @Option(names = "--forget", paramLabel = "ID",
            description = "Forget this node (repeatable): dropped from this host's record, and its announcements "
                    + "until now ignored, until it announces again. Does not connect to the broker.")
    List<String> forget = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Destinations destinations = broker.destinations();
        OrchCommand root = (OrchCommand) spec.root().userObject();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        for (String id : forget) {
            String problem = Destinations.identityProblem(id);
            if (problem != null) {
                throw new UsageException("--forget: " + problem);
            }
        }
        InventoryCache cache = InventoryCache.load(root.stateDir(), destinations.collective(), broker.broker(),
                known.forgetAfter());
        if (!forget.isEmpty()) {
            return forget(cache, out);
        }
        FleetCommand.checkPositive("--connect-timeout", broker.connectTimeout());
        root.headStart().await();
        ClientSecurity trust = security.load(Clock.systemUTC(), root.stateDir());
        Registry registry;
        int exit = ExitCode.OK;
        try (OrchClient client = OrchClient.connect(broker.broker(), destinations, broker.connectTimeout(), trust);
             Interrupt.Registration stop = root.interrupt().onStop(client::stop)) {
            registry = client.registry(Duration.ofMillis(Limits.CLI_REGISTRY_BARRIER_MS));
            Inventory inventory = Inventory.of(cache, registry.announced(), registry.note(), Instant.now());
            // Nothing here answered: every announcement is checked before it is listed.
            inventory.settleAll();
            client.unverified().forEach(u -> warn(err, u.describe()));
            if (client.dropped() > 0) {
                warn(err, client.dropped() + " registry message(s) not kept: unreadable, on another node's topic, "
                        + "or past " + Limits.MAX_CLI_INVENTORY_NODES + " nodes");
            }
        } catch (BrokerUnreachableException e) {
            warn(err, e.getMessage() + "; listing this host's record only");
            registry = new Registry(List.of(), e.getMessage());
            cache.expire(Instant.now());
            exit = ExitCode.BROKER_UNREACHABLE;
        }
        if (registry.note() != null && exit == ExitCode.OK) {
            warn(err, registry.note());
        }
        String unsaved = cache.save();
        if (unsaved != null) {
            warn(err, unsaved);
        }
        Instant now = Instant.now();
        String source = registry.note() == null ? "registry" : "record";
        if (json) {
            printJson(cache, source, registry.note(), now, out);
        } else {
            printTable(cache, now, out);
        }
        out.flush();
        err.flush();
        return exit;
    }

    private int forget(InventoryCache cache, PrintWriter out) {
        Instant now = Instant.now();
        for (String id : forget) {
            var was = cache.forget(id, now);
            out.println(was.map(node -> "forgot " + id + " (last announced " + node.state().wireName() + " "
                    + TimeText.ago(Duration.between(node.announcedAt(), now).toSeconds()) + " ago)")
                    .orElse(id + " was not known here; its announcements until now will be ignored"));
        }
        String unsaved = cache.save();
        if (unsaved != null) {
            throw new UsageException(unsaved);
        }
        out.flush();
        return ExitCode.OK;
    }

    private static void printTable(InventoryCache cache, Instant now, PrintWriter out) {
        List<KnownNode> nodes = cache.nodes();
        if (nodes.isEmpty()) {
            out.println("No known node: none has announced itself on this broker and collective, and this host "
                    + "remembers none. Nodes announce themselves when their responder starts.");
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"IDENTITY", "STATE", "LAST ANNOUNCED", "AGE", "VERSION", "BOOT ID"});
        Map<String, Integer> states = new TreeMap<>();
        for (KnownNode node : nodes) {
            states.merge(node.state().wireName(), 1, Integer::sum);
            rows.add(new String[] {SafeText.field(node.identity()), node.state().wireName(),
                node.announcedAt().truncatedTo(ChronoUnit.SECONDS).toString(), TimeText.ago(Duration.between(node.announcedAt(), now).toSeconds()),
                node.version() == null ? "-" : SafeText.field(node.version()),
                node.bootId() == null ? "-" : SafeText.field(node.bootId())});
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
        out.println();
        List<String> counts = new ArrayList<>();
        states.forEach((state, n) -> counts.add(n + " " + state));
        out.println(nodes.size() + " known node(s): " + String.join(", ", counts));
    }

    private static void printJson(InventoryCache cache, String source, String note, Instant now, PrintWriter out)
            throws JsonProcessingException {
        ObjectNode root = JSON.createObjectNode();
        root.put("protocol", "orch.inventory.v1");
        root.put("collective", cache.collective());
        root.put("broker", cache.broker());
        root.put("source", source);
        if (note == null) {
            root.putNull("note");
        } else {
            root.put("note", note);
        }
        ArrayNode nodes = root.putArray("nodes");
        for (KnownNode node : cache.nodes()) {
            ObjectNode n = nodes.addObject();
            n.put("identity", node.identity());
            n.put("state", node.state().wireName());
            n.put("announced_at", node.announcedAt().toString());
            n.put("age_s", Math.max(0, Duration.between(node.announcedAt(), now).toSeconds()));
            n.put("version", node.version());
            n.put("boot_id", node.bootId());
            n.put("started_at", node.startedAt() == null ? null : node.startedAt().toString());
            n.put("interval_s", node.intervalS());
        }
        out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    }

    private static void warn(PrintWriter err, String why) {
        err.println("orch: warning: " + SafeText.field(why));
    }
}
