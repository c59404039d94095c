package io.orch.playground;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives each test class's in-JVM CLI runs a state folder of their own (see {@link Cli}); registered for every
 * test class of this module through JUnit's extension autodetection ({@code junit-platform.properties}).
 */
public final class CliStatePerClass implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        Cli.freshState();
    }
}
