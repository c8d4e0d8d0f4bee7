package io.trailguard.job.kinesis;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP proxy in front of kinesis-local that answers every {@code n}-th GetRecords call with Kinesis's
 * throttling error ({@code ProvisionedThroughputExceededException}, HTTP 400, JSON protocol) and forwards everything
 * else. kinesis-mock itself never throttles reads, so this is how the tests meet a real read throttle.
 */
final class ThrottlingProxy implements AutoCloseable {
    private final HttpServer server;
    private final String target;
    private final int every;
    private final AtomicInteger getRecords = new AtomicInteger();
    private final AtomicInteger throttled = new AtomicInteger();

    ThrottlingProxy(String target, int every) throws IOException {
        this.target = target;
        this.every = every;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int throttled() {
        return throttled.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            byte[] body = ex.getRequestBody().readAllBytes();
            String op = ex.getRequestHeaders().getFirst("X-Amz-Target");
            if (op != null && op.endsWith(".GetRecords") && getRecords.incrementAndGet() % every == 0) {
                throttled.incrementAndGet();
                byte[] err = ("{\"__type\":\"ProvisionedThroughputExceededException\",\"message\":\"Rate exceeded for "
                        + "shard (injected by the test proxy)\"}").getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
                ex.sendResponseHeaders(400, err.length);
                ex.getResponseBody().write(err);
                return;
            }
            HttpURLConnection c = (HttpURLConnection) new URL(target + ex.getRequestURI()).openConnection();
            c.setRequestMethod(ex.getRequestMethod());
            for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
                String name = h.getKey();
                if (name.equalsIgnoreCase("Host") || name.equalsIgnoreCase("Content-Length")
                        || name.equalsIgnoreCase("Connection") || name.equalsIgnoreCase("Transfer-Encoding")) {
                    continue;
                }
                for (String v : h.getValue()) {
                    c.addRequestProperty(name, v);
                }
            }
            c.setDoOutput(body.length > 0);
            if (body.length > 0) {
                try (OutputStream o = c.getOutputStream()) {
                    o.write(body);
                }
            }
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            byte[] response = in == null ? new byte[0] : in.readAllBytes();
            String type = c.getContentType();
            if (type != null) {
                ex.getResponseHeaders().set("Content-Type", type);
            }
            ex.sendResponseHeaders(status, response.length == 0 ? -1 : response.length);
            if (response.length > 0) {
                ex.getResponseBody().write(response);
            }
        } finally {
            ex.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
