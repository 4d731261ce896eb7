package org.fraudplatform.platform.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real browser for tests: the machine's Chromium, headless, driven over the DevTools protocol
 * with the JDK's own WebSocket client (no driver to download). Pages load, run their CSS, keep
 * their cookies, follow redirects and submit forms as in any browser; the test reads and clicks
 * through {@code Runtime.evaluate}.
 */
public final class HeadlessChromium implements AutoCloseable {

    private static final List<String> BINARIES =
            List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    private HeadlessChromium(Process process, WebSocket socket) {
        this.process = process;
        this.socket = socket;
    }

    /** The Chromium on this machine, if there is one (Debian's package {@code chromium}). */
    public static Optional<Path> binary() {
        return BINARIES.stream().map(Path::of).filter(Files::isExecutable).findFirst();
    }

    /** Starts a browser with an empty profile in {@code profile}, on one blank page. */
    public static HeadlessChromium start(Path profile) throws Exception {
        Path binary = binary().orElseThrow(() -> new IllegalStateException("no Chromium"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process process =
                new ProcessBuilder(
                                binary.toString(),
                                "--headless=new",
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-quic",
                                "--no-first-run",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync",
                                "--window-size=1280,900",
                                "--remote-debugging-port=" + port,
                                "--user-data-dir=" + profile,
                                "about:blank")
                        .redirectErrorStream(true)
                        .redirectOutput(profile.resolveSibling("chromium.log").toFile())
                        .start();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String page = null;
        while (page == null && System.nanoTime() < deadline) {
            try {
                JsonNode targets =
                        JSON.readTree(
                                http.send(
                                                HttpRequest.newBuilder(
                                                                URI.create(
                                                                        "http://127.0.0.1:"
                                                                                + port
                                                                                + "/json/list"))
                                                        .build(),
                                                HttpResponse.BodyHandlers.ofString())
                                        .body());
                for (JsonNode t : targets) {
                    if (t.path("type").asText().equals("page")) {
                        page = t.path("webSocketDebuggerUrl").asText();
                    }
                }
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        if (page == null) {
            process.destroyForcibly();
            throw new IllegalStateException("Chromium did not start (see chromium.log)");
        }
        HeadlessChromium[] self = new HeadlessChromium[1];
        WebSocket socket =
                http.newWebSocketBuilder()
                        .buildAsync(
                                URI.create(page),
                                new WebSocket.Listener() {
                                    private final StringBuilder text = new StringBuilder();

                                    @Override
                                    public CompletionStage<?> onText(
                                            WebSocket ws, CharSequence data, boolean last) {
                                        text.append(data);
                                        if (last) {
                                            self[0].received(text.toString());
                                            text.setLength(0);
                                        }
                                        ws.request(1);
                                        return null;
                                    }
                                })
                        .get(10, TimeUnit.SECONDS);
        self[0] = new HeadlessChromium(process, socket);
        self[0].call("Page.enable", JSON.createObjectNode());
        return self[0];
    }

    private void received(String message) {
        try {
            JsonNode m = JSON.readTree(message);
            if (m.has("id")) {
                CompletableFuture<JsonNode> f = pending.remove(m.get("id").asInt());
                if (f != null) {
                    f.complete(m);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("not JSON from Chromium: " + message, e);
        }
    }

    private JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        ObjectNode m = JSON.createObjectNode().put("id", id).put("method", method);
        m.set("params", params);
        socket.sendText(JSON.writeValueAsString(m), true).get(10, TimeUnit.SECONDS);
        JsonNode r = reply.get(30, TimeUnit.SECONDS);
        if (r.has("error")) {
            throw new IllegalStateException(method + ": " + r.get("error"));
        }
        return r.path("result");
    }

    /** Opens a page and waits until it has loaded. */
    public void open(String url) throws Exception {
        call("Page.navigate", JSON.createObjectNode().put("url", url));
        waitFor("document.readyState === 'complete' && location.href !== 'about:blank'");
    }

    /** The value of a JavaScript expression in the page (strings, numbers, booleans). */
    public String eval(String expression) throws Exception {
        JsonNode r =
                call(
                        "Runtime.evaluate",
                        JSON.createObjectNode()
                                .put("expression", expression)
                                .put("returnByValue", true));
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException(expression + ": " + r.get("exceptionDetails"));
        }
        return r.path("result").path("value").asText();
    }

    /** The value of a JavaScript expression that gives a promise, once it settles. */
    public String evalAwait(String expression) throws Exception {
        JsonNode r =
                call(
                        "Runtime.evaluate",
                        JSON.createObjectNode()
                                .put("expression", expression)
                                .put("awaitPromise", true)
                                .put("returnByValue", true));
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException(
                    expression.substring(0, Math.min(expression.length(), 200))
                            + ": "
                            + r.get("exceptionDetails"));
        }
        return r.path("result").path("value").asText();
    }

    /** Waits until a JavaScript condition holds in the page, for at most 20 s. */
    public void waitFor(String condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (eval("Boolean(" + condition + ")").equals("true")) {
                    return;
                }
            } catch (IllegalStateException navigating) {
                // the page is being replaced: ask again
            }
            Thread.sleep(50);
        }
        throw new AssertionError(
                "never true: " + condition + " (page: " + eval("location.href") + ")");
    }

    /** Types into an input as a person would, field by field. */
    public void type(String selector, String value) throws Exception {
        eval(
                "(() => { const e = document.querySelector("
                        + JSON.writeValueAsString(selector)
                        + "); e.focus(); e.value = "
                        + JSON.writeValueAsString(value)
                        + "; e.dispatchEvent(new Event('input', {bubbles: true})); return true;"
                        + " })()");
    }

    /** Clicks the element; a link or a submit button then navigates. */
    public void click(String selector) throws Exception {
        eval("document.querySelector(" + JSON.writeValueAsString(selector) + ").click()");
    }

    /** The page's visible text. */
    public String text() throws Exception {
        // after a click the location can change before the new document has a body
        waitFor("document.readyState === 'complete' && document.body !== null");
        return eval("document.body.innerText");
    }

    /** A PNG of the window. */
    public byte[] screenshot() throws Exception {
        JsonNode r = call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png"));
        return Base64.getDecoder().decode(r.path("data").asText());
    }

    @Override
    public void close() {
        socket.abort();
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
