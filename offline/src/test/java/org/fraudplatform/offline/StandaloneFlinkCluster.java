package org.fraudplatform.offline;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Flink standalone session cluster from Flink's own Maven artifacts: a JobManager ({@code
 * StandaloneSessionClusterEntrypoint}) and a TaskManager ({@code TaskManagerRunner}), each in a JVM
 * of its own, as Flink's start scripts run them, on loopback ports of their own.
 *
 * <p>Their class path is what a Flink distribution's {@code lib/} holds: the Flink runtime, the
 * file connector and the libraries Flink itself needs. Neither the platform's classes nor the Kafka
 * connector are on it: a job finds them only in the job jar it ships, as on a real cluster.
 */
public final class StandaloneFlinkCluster implements AutoCloseable {

    /**
     * Jars of the test class path a Flink distribution provides: Flink's own (but not the Kafka
     * connector, which jobs ship) and the libraries the runtime loads.
     */
    private static final Pattern DISTRIBUTION =
            Pattern.compile(
                    "(flink-(?!connector-kafka).*"
                            + "|commons-(cli|collections|compress|io|lang3|math3|text)-.*"
                            + "|kryo-.*|minlog-.*|objenesis-.*|snappy-java-.*|lz4-java-.*"
                            + "|zstd-jni-.*|jsr305-.*|snakeyaml-engine-.*|slf4j-api-.*"
                            + "|logback-(classic|core)-.*|log4j-(api|to-slf4j)-.*)\\.jar");

    private static final Pattern TASK_MANAGERS = Pattern.compile("\"taskmanagers\":(\\d+)");

    private final Path dir;
    private final int restPort;
    private final List<Process> processes = new ArrayList<>();

    private StandaloneFlinkCluster(Path dir, int restPort) {
        this.dir = dir;
        this.restPort = restPort;
    }

    /** Starts both processes in {@code dir} and waits until the TaskManager has registered. */
    public static StandaloneFlinkCluster start(Path dir) throws Exception {
        int rpcPort = freePort();
        int restPort = freePort();
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(conf.resolve("config.yaml"), config(dir, rpcPort, restPort));
        Files.writeString(
                conf.resolve("logback.xml"),
                """
                <configuration>
                  <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="out"/></root>
                </configuration>
                """);
        StandaloneFlinkCluster cluster = new StandaloneFlinkCluster(dir, restPort);
        try {
            cluster.launch(
                    "jobmanager",
                    "-Xmx512m",
                    "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                    conf);
            // heap: framework 128m + task 256m; direct: network 160m + framework off-heap 128m
            cluster.launch(
                    "taskmanager",
                    "-Xmx384m -XX:MaxDirectMemorySize=288m",
                    "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                    conf);
            cluster.awaitTaskManager(Duration.ofSeconds(90));
            return cluster;
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
    }

    /** {@code host:port} of the JobManager's REST endpoint, as {@code --flink-master} takes it. */
    public String master() {
        return "127.0.0.1:" + restPort;
    }

    /** The cluster's class path: the jars of this JVM's class path a distribution provides. */
    static String distributionClassPath() {
        List<String> jars = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (DISTRIBUTION.matcher(new File(entry).getName()).matches()) {
                jars.add(entry);
            }
        }
        return String.join(File.pathSeparator, jars);
    }

    private static String config(Path dir, int rpcPort, int restPort) {
        // A TaskManager started without Flink's scripts is given every memory size explicitly.
        return """
                jobmanager:
                  rpc:
                    address: 127.0.0.1
                    port: %d
                  bind-host: 127.0.0.1
                  memory:
                    process:
                      size: 768m
                rest:
                  address: 127.0.0.1
                  bind-address: 127.0.0.1
                  port: %d
                taskmanager:
                  host: 127.0.0.1
                  bind-host: 127.0.0.1
                  numberOfTaskSlots: 2
                  cpu:
                    cores: 2
                  memory:
                    task:
                      heap:
                        size: 256m
                      off-heap:
                        size: 0m
                    managed:
                      size: 128m
                    network:
                      min: 160m
                      max: 160m
                    framework:
                      heap:
                        size: 128m
                      off-heap:
                        size: 128m
                    jvm-metaspace:
                      size: 256m
                    jvm-overhead:
                      min: 192m
                      max: 192m
                io:
                  tmp:
                    dirs: %s
                """
                .formatted(rpcPort, restPort, dir.resolve("tmp").toAbsolutePath());
    }

    private void launch(String name, String jvmOptions, String mainClass, Path conf)
            throws IOException {
        Files.createDirectories(dir.resolve("tmp"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions.split(" ")));
        command.add("-Dlogback.configurationFile=" + conf.resolve("logback.xml").toAbsolutePath());
        command.addAll(List.of("-cp", distributionClassPath(), mainClass));
        command.addAll(List.of("--configDir", conf.toAbsolutePath().toString()));
        processes.add(
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve(name + ".log").toFile())
                        .start());
    }

    private void awaitTaskManager(Duration timeout) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IllegalStateException(
                            "a cluster process ended with " + p.exitValue() + "\n" + logs());
                }
            }
            try {
                last =
                        http.send(
                                        HttpRequest.newBuilder(
                                                        URI.create(
                                                                "http://" + master() + "/overview"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .body();
                Matcher m = TASK_MANAGERS.matcher(last);
                if (m.find() && Integer.parseInt(m.group(1)) > 0) {
                    return;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(
                "no TaskManager registered in " + timeout + " (" + last + ")\n" + logs());
    }

    /** The last lines of both processes' output, for a failure's message. */
    public String logs() {
        StringBuilder out = new StringBuilder();
        for (String name : List.of("jobmanager", "taskmanager")) {
            Path log = dir.resolve(name + ".log");
            try {
                List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
                out.append("--- ").append(name).append(" (last 40 lines)\n");
                lines.subList(Math.max(0, lines.size() - 40), lines.size())
                        .forEach(l -> out.append(l).append('\n'));
            } catch (IOException e) {
                out.append("--- ").append(name).append(": ").append(e).append('\n');
            }
        }
        return out.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
    }
}
