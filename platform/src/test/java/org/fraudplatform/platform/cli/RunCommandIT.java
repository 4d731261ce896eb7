package org.fraudplatform.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fraudplatform.platform.Platform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fraud run} as an operator meets it: its own JVM, everything embedded, the logging of
 * {@code bin/fraud}. A clean start and a clean stop (SIGTERM, as Ctrl+C) log no warning and no
 * error: the parts stop in reverse order of start, so nothing still running finds the database or
 * the broker gone.
 */
class RunCommandIT {

    private static final Pattern LOG_LINE =
            Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (WARN|ERROR) .*");
    private static final Pattern API = Pattern.compile("Payment API\\s+(http://\\S+)");

    @TempDir Path dataDir;
    Process process;
    Path log;

    @AfterEach
    void stopIfStillRunning() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    @Test
    void shouldStartAndStopWithoutAWarningOrAnError() throws Exception {
        // given a platform started on a fresh data folder
        start();
        String startLog = output();
        assertThat(warningsAndErrors(startLog)).as("the start logs:%n%s", startLog).isEmpty();

        // and a payment, captured and in the history, so every part has worked before the stop
        Matcher api = API.matcher(startLog);
        assertThat(api.find()).as(startLog).isTrue();
        String key =
                Files.readString(dataDir.resolve("data").resolve(Platform.DEMO_KEY_FILE)).trim();
        String payment = pay(api.group(1), key);
        awaitCapturedInHistory(api.group(1), key, payment);
        Thread.sleep(1_000);
        int beforeStop = output().length();

        // when it is stopped as Ctrl+C or a service manager stops it
        process.destroy();
        boolean exited = process.waitFor(90, TimeUnit.SECONDS);

        // then it stopped cleanly, in order, and said nothing alarming on the way
        String stopLog = output().substring(beforeStop);
        assertThat(exited).as("stopped within 90 s:%n%s", output()).isTrue();
        assertThat(warningsAndErrors(stopLog)).as("the stop logs:%n%s", stopLog).isEmpty();
        assertThat(stopLog).doesNotContain("Exception");
    }

    private static void awaitCapturedInHistory(String api, String key, String payment)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create(api + "/v1/payments/" + payment))
                                            .header("Authorization", "Bearer " + key)
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body();
            if (last.contains("\"status\":\"captured\"")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("payment " + payment + " not captured within 30 s: " + last);
    }

    private void start() throws IOException, InterruptedException {
        log = dataDir.resolve("run.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command =
                new ArrayList<>(
                        List.of(
                                java,
                                "-Xmx768m",
                                // the logging configuration bin/fraud uses, not the tests' one
                                "-Dlogback.configurationFile="
                                        + FraudCommand.class.getResource("/logback.xml"),
                                "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=org.fraudplatform.schemas",
                                "-cp",
                                System.getProperty("java.class.path"),
                                FraudCommand.class.getName(),
                                "run",
                                "--data-dir",
                                dataDir.resolve("data").toString(),
                                "--port",
                                "0",
                                "--kafka-port",
                                "0",
                                "--schema-registry-port",
                                "0",
                                "--database-port",
                                "0",
                                "--stream-threads",
                                "1",
                                "--partitions",
                                "3"));
        process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (!output().contains("Stop with Ctrl+C")) {
            assertThat(process.isAlive()).as("still running:%n%s", output()).isTrue();
            assertThat(System.nanoTime()).as("up within 180 s:%n%s", output()).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** Pays 25.00 EUR with automatic capture; the payment's id. */
    private String pay(String api, String key) throws Exception {
        String body =
                """
                {"amount": 2500, "currency": "EUR",
                 "payment_method": {"type": "card",
                   "card": {"number": "4242424242424242", "exp_month": 12, "exp_year": 2035, "cvc": "123"}},
                 "customer": {"id": "cus_1"}, "capture_method": "automatic"}
                """;
        HttpResponse<String> r =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(api + "/v1/payments"))
                                        .header("Authorization", "Bearer " + key)
                                        .header("Idempotency-Key", UUID.randomUUID().toString())
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(body))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        Matcher id = Pattern.compile("\"id\":\"(pay_[^\"]+)\"").matcher(r.body());
        assertThat(id.find()).as(r.body()).isTrue();
        return id.group(1);
    }

    private String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private static List<String> warningsAndErrors(String output) {
        return output.lines().filter(l -> LOG_LINE.matcher(l).matches()).toList();
    }
}
