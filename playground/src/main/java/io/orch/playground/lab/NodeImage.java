package io.orch.playground.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The fixture tree one lab node reads as its root: os-release, kernel, boot id, uptime, and
 * for a pending node the files a real package manager would leave. A simulated reboot changes
 * it the way a real one would: /run is emptied, the newest kernel runs, the boot id is new.
 */
final class NodeImage {
    enum Distro {
        DEBIAN("debian", "", "Debian GNU/Linux", "12", "6.1.0-%d-amd64"),
        UBUNTU("ubuntu", "debian", "Ubuntu", "22.04", "5.15.0-%d-generic"),
        ROCKY("rocky", "rhel centos fedora", "Rocky Linux", "9.4", "5.14.0-%d.el9.x86_64"),
        SLES("sles", "suse", "SLES", "15.5", "5.14.21-150500.%d-default");

        final String id;
        final String idLike;
        final String name;
        final String version;
        final String kernelPattern;

        Distro(String id, String idLike, String name, String version, String kernelPattern) {
            this.id = id;
            this.idLike = idLike;
            this.name = name;
            this.version = version;
            this.kernelPattern = kernelPattern;
        }

        String kernel(int build) {
            return String.format(kernelPattern, build);
        }
    }

    private final Path root;

    NodeImage(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    Path factsFile() {
        return root.resolve("etc/orch/facts.json");
    }

    /**
     * Everything a fresh node's tree takes from the lab's seed, drawn in one fixed order, so a lab can
     * draw every node's plan first and write the trees afterwards, in parallel, and still be the same lab.
     */
    record Plan(String identity, Distro distro, int runningBuild, int uptimeSeconds, String role, int site, int rack,
                boolean pending, int newerBuild, boolean libc6) {
        private static final String[] ROLES = {"web", "db", "cache", "queue"};

        /** Draws from {@code random} exactly as a node's tree always has; {@code pending} decides the reboot evidence. */
        static Plan draw(String identity, Distro distro, boolean pending, Random random) {
            int running = 20 + random.nextInt(8);
            int uptime = 3600 + random.nextInt(90 * 86400);
            String role = ROLES[random.nextInt(ROLES.length)];
            int site = 1 + random.nextInt(2);
            int rack = 1 + random.nextInt(20);
            int newer = 0;
            boolean libc6 = false;
            if (pending) {
                newer = running + 1 + random.nextInt(3);
                if (distro == Distro.DEBIAN || distro == Distro.UBUNTU) {
                    libc6 = random.nextBoolean();
                }
            }
            return new Plan(identity, distro, running, uptime, role, site, rack, pending, newer, libc6);
        }
    }

    /** Writes a fresh node as {@code plan} says; {@code pending} decides whether the distro's reboot evidence is present. */
    void create(Plan plan) throws IOException {
        Distro distro = plan.distro();
        write("etc/os-release", "ID=" + distro.id + "\n" + (distro.idLike.isEmpty() ? "" : "ID_LIKE=\"" + distro.idLike
                + "\"\n") + "NAME=\"" + distro.name + "\"\nVERSION_ID=\"" + distro.version + "\"\n");
        write("proc/sys/kernel/hostname", plan.identity() + "\n");
        write("proc/sys/kernel/osrelease", distro.kernel(plan.runningBuild()) + "\n");
        write("proc/sys/kernel/random/boot_id", UUID.randomUUID() + "\n");
        write("proc/uptime", plan.uptimeSeconds() + ".00 0.00\n");
        write("boot/vmlinuz-" + distro.kernel(plan.runningBuild()), "");
        // JSON, as a facts file a node's tooling writes often is: read with the JSON parser, a tenth of YAML's cost.
        write("etc/orch/facts.json", "{\"role\": \"" + plan.role() + "\", \"site\": \"dc" + plan.site()
                + "\", \"rack\": \"r" + plan.rack() + "\", \"lab\": true}\n");
        if (plan.pending()) {
            makePending(plan);
        }
    }

    private void makePending(Plan plan) throws IOException {
        String newer = plan.distro().kernel(plan.newerBuild());
        switch (plan.distro()) {
            case DEBIAN, UBUNTU -> {
                // apt installs the new kernel and drops the flag with the packages that want the reboot.
                write("boot/vmlinuz-" + newer, "");
                List<String> pkgs = new ArrayList<>(List.of("linux-image-" + newer));
                if (plan.libc6()) {
                    pkgs.add("libc6");
                }
                write("run/reboot-required", "*** System restart required ***\n");
                write("run/reboot-required.pkgs", String.join("\n", pkgs) + "\n");
            }
            case ROCKY -> write("boot/vmlinuz-" + newer, "");
            case SLES -> {
                write("boot/vmlinuz-" + newer, "");
                write("run/reboot-needed", "");
            }
        }
    }

    /** What a reboot does to the tree: /run is a tmpfs, the newest kernel boots, and the boot id is new. */
    void reboot() throws IOException {
        Path run = root.resolve("run");
        if (Files.isDirectory(run)) {
            try (Stream<Path> files = Files.walk(run)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    if (!p.equals(run)) {
                        Files.delete(p);
                    }
                }
            }
        }
        String newest = null;
        try (Stream<Path> kernels = Files.list(root.resolve("boot"))) {
            for (Path k : kernels.toList()) {
                String v = k.getFileName().toString().substring("vmlinuz-".length());
                if (newest == null || compareKernels(v, newest) > 0) {
                    newest = v;
                }
            }
        }
        if (newest != null) {
            write("proc/sys/kernel/osrelease", newest + "\n");
        }
        write("proc/sys/kernel/random/boot_id", UUID.randomUUID() + "\n");
        write("proc/uptime", "0.00 0.00\n");
    }

    /** A package that asks for another reboot as soon as the node is up (a postinst run at boot). */
    void requireReboot() throws IOException {
        write("run/reboot-required", "*** System restart required ***\n");
    }

    /** Lab kernels differ only in one build number, so comparing the numbers in order is enough. */
    private static int compareKernels(String a, String b) {
        String[] x = a.split("\\D+");
        String[] y = b.split("\\D+");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            if (x[i].isEmpty() || y[i].isEmpty()) {
                continue;
            }
            int c = Long.compare(Long.parseLong(x[i]), Long.parseLong(y[i]));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }

    String read(String relative) throws IOException {
        return Files.readString(root.resolve(relative), StandardCharsets.UTF_8).trim();
    }

    private void write(String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
