package io.orch.cli.inventory;

import io.orch.cli.UsageException;
import io.orch.protocol.bus.Destinations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/** A file of node identities, one a line; blank lines and {@code #} comments are allowed. */
public final class NodeList {
    private NodeList() {
    }

    /**
     * @param flag named in every error, so the user knows which file is wrong
     * @throws UsageException for a missing or unreadable file, a bad identity (with its line), or an empty list
     */
    public static Set<String> read(String flag, Path file) {
        try {
            Set<String> nodes = new LinkedHashSet<>();
            int lineNo = 0;
            for (String line : Files.readAllLines(file)) {
                lineNo++;
                String id = line.contains("#") ? line.substring(0, line.indexOf('#')).trim() : line.trim();
                if (id.isEmpty()) {
                    continue;
                }
                String problem = Destinations.identityProblem(id);
                if (problem != null) {
                    throw new UsageException(flag + " " + file + " line " + lineNo + ": " + problem);
                }
                nodes.add(id);
            }
            if (nodes.isEmpty()) {
                throw new UsageException(flag + " " + file + " lists no node");
            }
            return nodes;
        } catch (NoSuchFileException e) {
            throw new UsageException(flag + " " + file + ": no such file");
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new UsageException(flag + " " + file + ": cannot read: " + e.getMessage());
        }
    }
}
