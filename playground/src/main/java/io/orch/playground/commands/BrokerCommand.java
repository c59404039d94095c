package io.orch.playground.commands;

import io.orch.cli.UsageException;
import io.orch.cli.client.RootCause;
import io.orch.playground.broker.EmbeddedBroker;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Run an embedded ActiveMQ broker in the foreground (loopback only; Ctrl-C stops it).")
public final class BrokerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "61616", description = "TCP port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to listen on; the playground stays on loopback (default: ${DEFAULT-VALUE}).")
    String host;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new UsageException("--port must be between 0 and 65535, got " + port);
        }
        EmbeddedBroker broker;
        try {
            broker = EmbeddedBroker.start(host, port);
        } catch (Exception e) {
            throw new UsageException("cannot start a broker on " + host + ":" + port + ": " + RootCause.message(e)
                    + " (is another broker already running there? try --port)");
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                broker.close();
            } catch (Exception e) {
                // stopping anyway
            }
            stop.countDown();
        }, "broker-stop"));
        spec.commandLine().getOut().println("broker listening on " + broker.url() + " (Ctrl-C to stop)");
        spec.commandLine().getOut().flush();
        stop.await();
        return 0;
    }
}
