package org.fraudplatform.platform;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Before anything starts: are the ports the platform is about to listen on free? For each one that
 * is taken, says which, by what process when the operating system tells (Linux: {@code
 * /proc/net/tcp} and the processes' sockets, for processes of the same user), and the flag that
 * chooses another. Port 0 (any free port) is never taken.
 */
public final class PortCheck {

    private PortCheck() {}

    /** The ports {@code fraud run} with these settings listens on, by the flag that sets each. */
    public static Map<String, Integer> portsOf(PlatformSettings s) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        if (s.role().runsApi()) {
            ports.put("--port", s.port());
        }
        if (s.embeddedKafka()) {
            ports.put("--kafka-port", s.kafkaPort());
        }
        if (s.embeddedRegistry()) {
            ports.put("--schema-registry-port", s.schemaRegistryPort());
        }
        if (s.embeddedDatabase() && s.role().runsApi()) {
            ports.put("--database-port", s.databasePort());
        }
        if (s.managementPortInUse() >= 0) {
            ports.put("--management-port", s.managementPortInUse());
        }
        return ports;
    }

    /**
     * Throws, naming every taken port, its holder when known and the flag to change, when any of
     * {@code ports} cannot be listened on at {@code host}.
     */
    public static void requireFree(String host, Map<String, Integer> ports) {
        List<String> problems = new ArrayList<>();
        ports.forEach(
                (flag, port) -> {
                    if (port != 0 && !free(host, port)) {
                        problems.add(
                                "port "
                                        + port
                                        + " ("
                                        + flag
                                        + ") is taken"
                                        + holder(port).map(h -> " by " + h).orElse("")
                                        + ": stop it, or choose another port with "
                                        + flag
                                        + " <port>");
                    }
                });
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    "cannot start: "
                            + String.join("; ", problems)
                            + " (another platform, or one left over from an earlier run, may still"
                            + " be running)");
        }
    }

    /** True when a server socket can listen on {@code host:port} now. */
    static boolean free(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The process listening on {@code port}, as "pid N (command line)", when it can be known. */
    static Optional<String> holder(int port) {
        try {
            Optional<String> inode = listeningInode(port);
            if (inode.isEmpty()) {
                return Optional.empty();
            }
            String socket = "socket:[" + inode.get() + "]";
            try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
                for (Path proc : (Iterable<Path>) processes::iterator) {
                    String pid = proc.getFileName().toString();
                    if (pid.chars().allMatch(Character::isDigit) && holds(proc, socket)) {
                        return Optional.of("pid " + pid + " (" + commandLine(proc) + ")");
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not allowed to look: the port alone is still named
        }
        return Optional.empty();
    }

    private static Optional<String> listeningInode(int port) throws IOException {
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (!Files.isReadable(file)) {
                continue;
            }
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                String[] f = line.trim().split("\\s+");
                // local_address st ... inode; state 0A is LISTEN
                if (f.length > 9 && f[1].endsWith(hexPort) && f[3].equals("0A")) {
                    return Optional.of(f[9]);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean holds(Path proc, String socket) {
        try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
            return fds.anyMatch(
                    fd -> {
                        try {
                            return Files.readSymbolicLink(fd).toString().equals(socket);
                        } catch (IOException | RuntimeException e) {
                            return false;
                        }
                    });
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String commandLine(Path proc) {
        try {
            String cmd =
                    new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
            return describe(List.of(cmd.split("\0")));
        } catch (IOException | RuntimeException e) {
            return "command unknown";
        }
    }

    /**
     * What a command line runs, without its options (which may hold secrets): the program, and for
     * Java the main class and its first argument, for PostgreSQL its data directory.
     */
    static String describe(List<String> args) {
        if (args.isEmpty() || args.get(0).isBlank()) {
            return "command unknown";
        }
        String program = Path.of(args.get(0)).getFileName().toString();
        if (program.equals("java")) {
            for (int i = 1; i < args.size(); i++) {
                String a = args.get(i);
                if (List.of("-cp", "-classpath", "--class-path", "-p", "--module-path")
                        .contains(a)) {
                    i++;
                } else if (a.equals("-jar") && i + 1 < args.size()) {
                    return "java -jar " + args.get(i + 1);
                } else if (!a.startsWith("-")) {
                    return "java "
                            + a
                            + (i + 1 < args.size() && !args.get(i + 1).startsWith("-")
                                    ? " " + args.get(i + 1)
                                    : "");
                }
            }
        }
        if (program.startsWith("postgres")) {
            int d = args.indexOf("-D");
            if (d > 0 && d + 1 < args.size()) {
                return program + " -D " + args.get(d + 1);
            }
        }
        return program;
    }
}
