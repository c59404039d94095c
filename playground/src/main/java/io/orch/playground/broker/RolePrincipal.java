package io.orch.playground.broker;

import java.security.Principal;
import java.util.Objects;

/**
 * A role on the broker ({@code operators}, {@code nodes}), as the authorization map names it. It plays
 * the part of the standalone broker's JAAS {@code GroupPrincipal}: public, with a constructor taking
 * the name, so an authorization entry can be given it as its {@code groupClass}.
 */
public record RolePrincipal(String name) implements Principal {
    public RolePrincipal {
        Objects.requireNonNull(name, "name == null");
    }

    @Override
    public String getName() {
        return name;
    }
}
