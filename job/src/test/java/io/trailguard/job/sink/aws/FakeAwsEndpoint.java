package io.trailguard.job.sink.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A local HTTP server speaking the two wire protocols the AWS outputs use, for tests with the real SDK clients:
 * <ul>
 *   <li>Security Hub (REST JSON): {@code POST /findings/import} (BatchImportFindings). Validates the request limits
 *       (100 findings, body bytes) and every finding's required ASFF fields and field limits; stores findings by Id
 *       and counts imports per Id.</li>
 *   <li>CloudWatch Logs (JSON 1.1, {@code X-Amz-Target: Logs_20140328.*}): CreateLogGroup, CreateLogStream,
 *       DescribeLogStreams, PutLogEvents. Validates the PutLogEvents limits (10,000 events, 1,048,576 bytes with 26
 *       per event, event size, chronological order, 24-hour span) and stores events per stream.</li>
 * </ul>
 * Violations of the limits or the ASFF rules are recorded ({@link #violations()}) and refused with a 400, so tests
 * can assert that none happened. Faults can be injected per API: throttling (429 / ThrottlingException), 500s,
 * refused requests (400), slow responses and dropped connections, a given number of times or at random; Security Hub
 * imports can report chosen finding ids (or a random share) in {@code FailedFindings}.
 */
public final class FakeAwsEndpoint implements AutoCloseable {
    /** The APIs faults can be injected into. */
    public enum Api { SECURITY_HUB, PUT_LOG_EVENTS, CREATE_LOG_STREAM, CREATE_LOG_GROUP, DESCRIBE_LOG_STREAMS }

    /** Injected faults. */
    public enum Fault {
        /** Security Hub: 429 TooManyRequestsException; CloudWatch Logs: 400 ThrottlingException. */
        THROTTLE,
        /** 500 InternalException / ServiceUnavailableException. */
        SERVER_ERROR,
        /** The connection is closed without a response (the request is not processed). */
        RESET,
        /** The response is delayed by {@link #slowMillis(long)}; the request is processed. */
        SLOW,
        /** 400 InvalidInputException / InvalidParameterException for the whole request. */
        REJECT,
        /** 403 AccessDeniedException (missing permission). */
        DENY,
        /** 503 ServiceUnavailableException. */
        UNAVAILABLE,
        /** Security Hub: 401 InvalidAccessException (Security Hub not enabled in the region / not subscribed). */
        INVALID_ACCESS
    }

    public static final int SH_MAX_FINDINGS = 100;
    public static final int LOGS_MAX_EVENTS = 10_000;
    public static final int LOGS_MAX_BATCH_BYTES = 1_048_576;
    public static final int LOGS_EVENT_OVERHEAD = 26;
    private static final long DAY = 24 * 3_600_000L;
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern PRODUCT_ARN =
            Pattern.compile("arn:aws(-cn|-us-gov)?:securityhub:[a-z0-9-]+:(\\d{12})?:product/[A-Za-z0-9._-]+/[A-Za-z0-9._-]+");
    private static final Pattern TYPE = Pattern.compile(
            "(Software and Configuration Checks|TTPs|Effects|Unusual Behaviors|Sensitive Data Identifications)(/[^/]+){0,2}");
    private static final Set<String> SEVERITY_LABELS =
            Collections.unmodifiableSet(new java.util.HashSet<>(java.util.Arrays.asList(
                    "INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL")));

    private final ObjectMapper json = new ObjectMapper();
    private volatile HttpServer server;
    private final int port;
    private final ExecutorService pool;
    private final Map<Api, Fault> outages = new ConcurrentHashMap<>();

    // limits checked
    private volatile int shMaxBodyBytes = 240 * 1024;
    private volatile int shMaxFindingBytes = 240 * 1024;
    private volatile int logsMaxEventBytes = 256 * 1024;

    // faults
    private final Map<Api, ConcurrentLinkedQueue<Fault>> scripted = new EnumMap<>(Api.class);
    private final Map<Api, RandomFaults> random = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failFindings = new ConcurrentHashMap<>();
    private volatile String failFindingsCode = "InternalException";
    private volatile double failFindingShare;
    private volatile String failFindingShareCode = "ThrottlingException";
    private Random failFindingRandom = new Random(1);
    private volatile long slowMillis = 3_000;

    // what was received
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> accessKeys = ConcurrentHashMap.newKeySet();
    private final Map<String, JsonNode> findings = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> importCounts = new ConcurrentHashMap<>();
    private final List<Integer> shBatchSizes = Collections.synchronizedList(new ArrayList<>());
    private final List<Integer> shBodyBytes = Collections.synchronizedList(new ArrayList<>());
    private final Map<Api, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final Map<Api, AtomicInteger> faultsServed = new ConcurrentHashMap<>();
    private final Map<String, Map<String, List<LogEvent>>> logs = new ConcurrentHashMap<>();
    private final List<Integer> putBatchCounts = Collections.synchronizedList(new ArrayList<>());
    private final List<Integer> putBatchBytes = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger sequence = new AtomicInteger();

    /** A stored log event. */
    public static final class LogEvent {
        public final long timestamp;
        public final String message;

        LogEvent(long timestamp, String message) {
            this.timestamp = timestamp;
            this.message = message;
        }
    }

    private static final class RandomFaults {
        final double probability;
        final Fault[] faults;
        final Random rnd;

        RandomFaults(double probability, long seed, Fault[] faults) {
            this.probability = probability;
            this.faults = faults;
            this.rnd = new Random(seed);
        }

        synchronized Fault next() {
            return rnd.nextDouble() < probability ? faults[rnd.nextInt(faults.length)] : null;
        }
    }

    public FakeAwsEndpoint() throws IOException {
        for (Api a : Api.values()) {
            scripted.put(a, new ConcurrentLinkedQueue<>());
            requests.put(a, new AtomicInteger());
            faultsServed.put(a, new AtomicInteger());
        }
        pool = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "fake-aws");
            t.setDaemon(true);
            return t;
        });
        server = listen(0);
        port = server.getAddress().getPort();
    }

    private HttpServer listen(int p) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), p), 64);
        s.setExecutor(pool);
        s.createContext("/", this::handle);
        s.start();
        return s;
    }

    public String endpoint() {
        return "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + port;
    }

    /** Closes the listening socket: connections to the endpoint are refused until {@link #startListening()}. */
    public synchronized void stopListening() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** Listens again on the same port. */
    public synchronized void startListening() throws IOException {
        if (server == null) {
            IOException last = null;
            for (int i = 0; i < 50 && server == null; i++) {
                try {
                    server = listen(port);
                } catch (java.net.BindException e) {
                    last = e;
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw new IOException(ie);
                    }
                }
            }
            if (server == null) {
                throw last;
            }
        }
    }

    @Override
    public synchronized void close() {
        stopListening();
        pool.shutdownNow();
    }

    /** Every request to {@code api} gets {@code fault} until {@link #endOutage} (or {@link #clearFaults}). */
    public FakeAwsEndpoint outage(Api api, Fault fault) {
        outages.put(api, fault);
        return this;
    }

    public FakeAwsEndpoint endOutage(Api api) {
        outages.remove(api);
        return this;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Configuration

    public FakeAwsEndpoint securityHubLimits(int maxBodyBytes, int maxFindingBytes) {
        this.shMaxBodyBytes = maxBodyBytes;
        this.shMaxFindingBytes = maxFindingBytes;
        return this;
    }

    public FakeAwsEndpoint logsMaxEventBytes(int bytes) {
        this.logsMaxEventBytes = bytes;
        return this;
    }

    /** The next {@code times} requests to {@code api} get {@code fault}. */
    public FakeAwsEndpoint inject(Api api, Fault fault, int times) {
        for (int i = 0; i < times; i++) {
            scripted.get(api).add(fault);
        }
        return this;
    }

    /** Each request to {@code api} gets one of {@code faults} with {@code probability} (seeded). */
    public FakeAwsEndpoint injectRandom(Api api, double probability, long seed, Fault... faults) {
        random.put(api, new RandomFaults(probability, seed, faults));
        return this;
    }

    /** The next {@code times} imports of each of {@code ids} are reported in FailedFindings with {@code code}. */
    public FakeAwsEndpoint failFindings(Collection<String> ids, String code, int times) {
        failFindingsCode = code;
        for (String id : ids) {
            failFindings.put(id, new AtomicInteger(times));
        }
        return this;
    }

    /** Each finding of each import fails with {@code probability} (seeded) with {@code code}. */
    public synchronized FakeAwsEndpoint failRandomFindings(double probability, String code, long seed) {
        failFindingShare = probability;
        failFindingShareCode = code;
        failFindingRandom = new Random(seed);
        return this;
    }

    public FakeAwsEndpoint slowMillis(long ms) {
        this.slowMillis = ms;
        return this;
    }

    public synchronized FakeAwsEndpoint clearFaults() {
        for (ConcurrentLinkedQueue<Fault> q : scripted.values()) {
            q.clear();
        }
        random.clear();
        outages.clear();
        failFindings.clear();
        failFindingShare = 0;
        return this;
    }

    /** Forgets everything received (faults stay). */
    public void reset() {
        violations.clear();
        findings.clear();
        importCounts.clear();
        shBatchSizes.clear();
        shBodyBytes.clear();
        logs.clear();
        putBatchCounts.clear();
        putBatchBytes.clear();
        for (Api a : Api.values()) {
            requests.get(a).set(0);
            faultsServed.get(a).set(0);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Inspection

    /** The access key ids requests were signed with. */
    public Set<String> accessKeys() {
        return Collections.unmodifiableSet(accessKeys);
    }

    public List<String> violations() {
        synchronized (violations) {
            return new ArrayList<>(violations);
        }
    }

    /** Stored findings by Id (the last import of each). */
    public Map<String, JsonNode> findings() {
        return new HashMap<>(findings);
    }

    /** How many times each finding Id was imported successfully. */
    public Map<String, Integer> importCounts() {
        Map<String, Integer> m = new HashMap<>();
        importCounts.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    public List<Integer> securityHubBatchSizes() {
        synchronized (shBatchSizes) {
            return new ArrayList<>(shBatchSizes);
        }
    }

    public List<Integer> securityHubBodyBytes() {
        synchronized (shBodyBytes) {
            return new ArrayList<>(shBodyBytes);
        }
    }

    public int requests(Api api) {
        return requests.get(api).get();
    }

    public int faultsServed(Api api) {
        return faultsServed.get(api).get();
    }

    public Set<String> logGroups() {
        return new java.util.TreeSet<>(logs.keySet());
    }

    /** Streams of a group with their events, in arrival order. */
    public Map<String, List<LogEvent>> logStreams(String group) {
        Map<String, List<LogEvent>> g = logs.get(group);
        Map<String, List<LogEvent>> out = new LinkedHashMap<>();
        if (g != null) {
            g.forEach((k, v) -> {
                synchronized (v) {
                    out.put(k, new ArrayList<>(v));
                }
            });
        }
        return out;
    }

    /** Every message of a group (all streams). */
    public List<String> logMessages(String group) {
        List<String> out = new ArrayList<>();
        for (List<LogEvent> events : logStreams(group).values()) {
            for (LogEvent e : events) {
                out.add(e.message);
            }
        }
        return out;
    }

    public List<Integer> putLogEventsBatchCounts() {
        synchronized (putBatchCounts) {
            return new ArrayList<>(putBatchCounts);
        }
    }

    public List<Integer> putLogEventsBatchBytes() {
        synchronized (putBatchBytes) {
            return new ArrayList<>(putBatchBytes);
        }
    }

    /** Creates a group directly (as Terraform would). */
    public void createLogGroup(String group) {
        logs.computeIfAbsent(group, k -> new ConcurrentHashMap<>());
    }

    /** Deletes a stream (to test re-creation). */
    public void deleteLogStream(String group, String stream) {
        Map<String, List<LogEvent>> g = logs.get(group);
        if (g != null) {
            g.remove(stream);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // HTTP

    private void handle(HttpExchange ex) throws IOException {
        try {
            byte[] body = readBody(ex);
            String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
            String path = ex.getRequestURI().getPath();
            checkSigned(ex);
            if (target != null && target.startsWith("Logs_20140328.")) {
                handleLogs(ex, target.substring("Logs_20140328.".length()), body);
            } else if ("POST".equals(ex.getRequestMethod()) && "/findings/import".equals(path)) {
                handleImport(ex, body);
            } else {
                violation("unexpected request " + ex.getRequestMethod() + " " + path + " target=" + target);
                send(ex, 404, "application/json", "{\"message\":\"not found\"}", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ex.close();
        } catch (RuntimeException e) {
            violation("fake endpoint failed: " + e);
            send(ex, 500, "application/json", "{\"message\":\"fake endpoint failed\"}", "InternalException");
        }
    }

    private void checkSigned(HttpExchange ex) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("AWS4-HMAC-SHA256 Credential=")) {
            violation("request not signed with SigV4: " + auth);
            return;
        }
        String credential = auth.substring("AWS4-HMAC-SHA256 Credential=".length());
        accessKeys.add(credential.substring(0, Math.max(0, credential.indexOf('/'))));
    }

    private static byte[] readBody(HttpExchange ex) throws IOException {
        InputStream in = ex.getRequestBody();
        if ("gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Content-Encoding"))) {
            in = new GZIPInputStream(in);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[16384];
        int n;
        while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /** The fault for this request, after counting it; SLOW is served here (sleep) and returns null. */
    private Fault fault(Api api) throws InterruptedException {
        requests.get(api).incrementAndGet();
        Fault f = outages.get(api);
        if (f == null) {
            f = scripted.get(api).poll();
        }
        if (f == null) {
            RandomFaults r = random.get(api);
            f = r == null ? null : r.next();
        }
        if (f != null) {
            faultsServed.get(api).incrementAndGet();
        }
        if (f == Fault.SLOW) {
            Thread.sleep(slowMillis);
            return null;
        }
        return f;
    }

    // ---- Security Hub

    private void handleImport(HttpExchange ex, byte[] body) throws IOException, InterruptedException {
        Fault f = fault(Api.SECURITY_HUB);
        if (f == Fault.RESET) {
            ex.close(); // no response: the client sees the connection end
            return;
        }
        if (f == Fault.THROTTLE) {
            error(ex, 429, "application/json", "TooManyRequestsException", "Rate exceeded", false);
            return;
        }
        if (f == Fault.SERVER_ERROR) {
            error(ex, 500, "application/json", "InternalException", "Internal service error", false);
            return;
        }
        if (f == Fault.REJECT) {
            error(ex, 400, "application/json", "InvalidInputException", "Injected rejection", false);
            return;
        }
        if (f == Fault.DENY) {
            error(ex, 403, "application/json", "AccessDeniedException", "Injected denial", false);
            return;
        }
        if (f == Fault.UNAVAILABLE) {
            error(ex, 503, "application/json", "ServiceUnavailableException", "Service unavailable", false);
            return;
        }
        if (f == Fault.INVALID_ACCESS) {
            error(ex, 401, "application/json", "InvalidAccessException",
                    "Account 123456789012 is not subscribed to AWS Security Hub", false);
            return;
        }
        shBodyBytes.add(body.length);
        if (body.length > shMaxBodyBytes) {
            violation("BatchImportFindings body of " + body.length + " bytes exceeds " + shMaxBodyBytes);
            error(ex, 413, "application/json", "InvalidInputException", "Request too large", false);
            return;
        }
        JsonNode req;
        try {
            req = json.readTree(body);
        } catch (IOException e) {
            violation("BatchImportFindings body is not JSON: " + e.getMessage());
            error(ex, 400, "application/json", "InvalidInputException", "Malformed JSON", false);
            return;
        }
        JsonNode list = req.get("Findings");
        if (list == null || !list.isArray() || list.size() < 1 || list.size() > SH_MAX_FINDINGS) {
            violation("BatchImportFindings needs 1.." + SH_MAX_FINDINGS + " findings, got "
                    + (list == null ? "none" : list.size()));
            error(ex, 400, "application/json", "InvalidInputException", "Findings: 1..100", false);
            return;
        }
        shBatchSizes.add(list.size());
        ArrayNode failed = json.createArrayNode();
        int success = 0;
        for (JsonNode finding : list) {
            String id = finding.path("Id").asText("");
            List<String> errors = validateFinding(finding);
            if (!errors.isEmpty()) {
                violation("invalid finding " + id + ": " + errors);
                failed.add(failure(id, "InvalidInput", String.join("; ", errors)));
                continue;
            }
            String code = injectedFailure(id);
            if (code != null) {
                failed.add(failure(id, code, "Injected failure"));
                continue;
            }
            findings.put(id, finding);
            importCounts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            success++;
        }
        ObjectNode resp = json.createObjectNode();
        resp.put("FailedCount", failed.size());
        resp.put("SuccessCount", success);
        resp.set("FailedFindings", failed);
        send(ex, 200, "application/json", json.writeValueAsString(resp), null);
    }

    private synchronized String injectedFailure(String id) {
        AtomicInteger left = failFindings.get(id);
        if (left != null && left.getAndDecrement() > 0) {
            return failFindingsCode;
        }
        if (failFindingShare > 0 && failFindingRandom.nextDouble() < failFindingShare) {
            return failFindingShareCode;
        }
        return null;
    }

    private ObjectNode failure(String id, String code, String message) {
        ObjectNode n = json.createObjectNode();
        n.put("Id", id);
        n.put("ErrorCode", code);
        n.put("ErrorMessage", message);
        return n;
    }

    /** The ASFF rules this fake enforces: required fields, formats and the limits of the fields we use. */
    List<String> validateFinding(JsonNode f) {
        List<String> e = new ArrayList<>();
        try {
            int bytes = json.writeValueAsBytes(f).length;
            if (bytes > shMaxFindingBytes) {
                e.add("finding of " + bytes + " bytes exceeds " + shMaxFindingBytes);
            }
        } catch (IOException ignored) {
            e.add("unserializable");
        }
        if (!"2018-10-08".equals(f.path("SchemaVersion").asText())) {
            e.add("SchemaVersion");
        }
        nonEmpty(e, f, "Id", 512);
        nonEmpty(e, f, "GeneratorId", 512);
        nonEmpty(e, f, "Title", 256);
        nonEmpty(e, f, "Description", 1024);
        if (!PRODUCT_ARN.matcher(f.path("ProductArn").asText()).matches()) {
            e.add("ProductArn " + f.path("ProductArn").asText());
        }
        String account = f.path("AwsAccountId").asText();
        if (!ACCOUNT.matcher(account).matches()) {
            e.add("AwsAccountId " + account);
        }
        String created = f.path("CreatedAt").asText();
        String updated = f.path("UpdatedAt").asText();
        if (!isTime(created) || !isTime(updated)) {
            e.add("CreatedAt/UpdatedAt " + created + " " + updated);
        }
        for (String opt : new String[] {"FirstObservedAt", "LastObservedAt"}) {
            if (f.has(opt) && !isTime(f.get(opt).asText())) {
                e.add(opt);
            }
        }
        JsonNode sev = f.path("Severity");
        if (!SEVERITY_LABELS.contains(sev.path("Label").asText()) && !sev.has("Normalized")) {
            e.add("Severity.Label " + sev.path("Label").asText());
        }
        JsonNode types = f.path("Types");
        if (!types.isArray() || types.size() < 1 || types.size() > 50) {
            e.add("Types count");
        } else {
            for (JsonNode t : types) {
                if (!TYPE.matcher(t.asText()).matches()) {
                    e.add("Types " + t.asText());
                }
            }
        }
        JsonNode resources = f.path("Resources");
        if (!resources.isArray() || resources.size() < 1 || resources.size() > 32) {
            e.add("Resources count");
        } else {
            for (JsonNode r : resources) {
                nonEmpty(e, r, "Type", 256);
                nonEmpty(e, r, "Id", 512);
                JsonNode other = r.path("Details").path("Other");
                if (other.isObject()) {
                    mapLimits(e, "Details.Other", other, 50, 127, 1023);
                }
            }
        }
        JsonNode related = f.path("RelatedFindings");
        if (!related.isMissingNode()) {
            if (!related.isArray() || related.size() < 1 || related.size() > 10) {
                e.add("RelatedFindings count");
            } else {
                for (JsonNode r : related) {
                    nonEmpty(e, r, "Id", 512);
                    nonEmpty(e, r, "ProductArn", 2048);
                }
            }
        }
        JsonNode pf = f.path("ProductFields");
        if (pf.isObject()) {
            mapLimits(e, "ProductFields", pf, 50, 128, 2048);
        }
        JsonNode udf = f.path("UserDefinedFields");
        if (udf.isObject()) {
            mapLimits(e, "UserDefinedFields", udf, 50, 128, 1024);
        }
        return e;
    }

    private static void nonEmpty(List<String> e, JsonNode n, String field, int max) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            e.add(field + " missing");
            return;
        }
        String s = v.asText();
        if (s.length() > max) {
            e.add(field + " longer than " + max);
        }
        if (!hasNonWhitespace(s)) {
            e.add(field + " blank");
        }
        if (hasLoneSurrogate(s)) {
            e.add(field + " has a lone surrogate");
        }
    }

    private static void mapLimits(List<String> e, String name, JsonNode map, int maxEntries, int maxKey, int maxValue) {
        if (map.size() > maxEntries) {
            e.add(name + " has " + map.size() + " entries");
        }
        Iterator<Map.Entry<String, JsonNode>> it = map.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> x = it.next();
            if (x.getKey().isEmpty() || x.getKey().length() > maxKey) {
                e.add(name + " key length " + x.getKey().length());
            }
            String v = x.getValue().asText();
            if (!x.getValue().isTextual() || v.isEmpty() || v.length() > maxValue) {
                e.add(name + "[" + x.getKey() + "] value length " + v.length());
            }
            if (hasLoneSurrogate(v) || hasLoneSurrogate(x.getKey())) {
                e.add(name + "[" + x.getKey() + "] lone surrogate");
            }
        }
    }

    private static boolean hasNonWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isWhitespace(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTime(String s) {
        try {
            Instant.parse(s);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    // ---- CloudWatch Logs

    private void handleLogs(HttpExchange ex, String op, byte[] body) throws IOException, InterruptedException {
        Api api;
        switch (op) {
            case "PutLogEvents":
                api = Api.PUT_LOG_EVENTS;
                break;
            case "CreateLogStream":
                api = Api.CREATE_LOG_STREAM;
                break;
            case "CreateLogGroup":
                api = Api.CREATE_LOG_GROUP;
                break;
            case "DescribeLogStreams":
                api = Api.DESCRIBE_LOG_STREAMS;
                break;
            default:
                violation("unsupported CloudWatch Logs operation " + op);
                logsError(ex, 400, "UnknownOperationException", op);
                return;
        }
        Fault f = fault(api);
        if (f == Fault.RESET) {
            ex.close();
            return;
        }
        if (f == Fault.THROTTLE) {
            logsError(ex, 400, "ThrottlingException", "Rate exceeded");
            return;
        }
        if (f == Fault.SERVER_ERROR) {
            logsError(ex, 500, "ServiceUnavailableException", "Service unavailable");
            return;
        }
        if (f == Fault.REJECT) {
            logsError(ex, 400, "InvalidParameterException", "Injected rejection");
            return;
        }
        if (f == Fault.DENY) {
            logsError(ex, 400, "AccessDeniedException", "Injected denial");
            return;
        }
        if (f == Fault.UNAVAILABLE || f == Fault.INVALID_ACCESS) {
            logsError(ex, 503, "ServiceUnavailableException", "Service unavailable");
            return;
        }
        JsonNode req;
        try {
            req = json.readTree(body);
        } catch (IOException e) {
            violation(op + " body is not JSON");
            logsError(ex, 400, "SerializationException", "bad JSON");
            return;
        }
        String group = req.path("logGroupName").asText(null);
        switch (api) {
            case CREATE_LOG_GROUP:
                if (logs.putIfAbsent(group, new ConcurrentHashMap<>()) != null) {
                    logsError(ex, 400, "ResourceAlreadyExistsException", "The specified log group already exists");
                } else {
                    logsOk(ex, json.createObjectNode());
                }
                return;
            case CREATE_LOG_STREAM: {
                Map<String, List<LogEvent>> g = logs.get(group);
                String stream = req.path("logStreamName").asText("");
                if (g == null) {
                    logsError(ex, 400, "ResourceNotFoundException", "The specified log group does not exist.");
                } else if (stream.isEmpty() || stream.length() > 512 || stream.contains(":") || stream.contains("*")) {
                    violation("invalid log stream name " + stream);
                    logsError(ex, 400, "InvalidParameterException", "bad stream name");
                } else if (g.putIfAbsent(stream, Collections.synchronizedList(new ArrayList<>())) != null) {
                    logsError(ex, 400, "ResourceAlreadyExistsException", "The specified log stream already exists");
                } else {
                    logsOk(ex, json.createObjectNode());
                }
                return;
            }
            case DESCRIBE_LOG_STREAMS: {
                Map<String, List<LogEvent>> g = logs.get(group);
                if (g == null) {
                    logsError(ex, 400, "ResourceNotFoundException", "The specified log group does not exist.");
                    return;
                }
                String prefix = req.path("logStreamNamePrefix").asText("");
                ArrayNode streams = json.createArrayNode();
                for (String s : new java.util.TreeSet<>(g.keySet())) {
                    if (s.startsWith(prefix)) {
                        ObjectNode n = streams.addObject();
                        n.put("logStreamName", s);
                        n.put("arn", "arn:aws:logs:us-east-1:000000000000:log-group:" + group + ":log-stream:" + s);
                    }
                }
                ObjectNode resp = json.createObjectNode();
                resp.set("logStreams", streams);
                logsOk(ex, resp);
                return;
            }
            default:
                putLogEvents(ex, req, body.length);
        }
    }

    private void putLogEvents(HttpExchange ex, JsonNode req, int bodyBytes) throws IOException {
        String group = req.path("logGroupName").asText(null);
        String stream = req.path("logStreamName").asText(null);
        Map<String, List<LogEvent>> g = logs.get(group);
        List<LogEvent> target = g == null ? null : g.get(stream);
        if (target == null) {
            logsError(ex, 400, "ResourceNotFoundException", "The specified log stream does not exist.");
            return;
        }
        JsonNode events = req.path("logEvents");
        List<String> errors = new ArrayList<>();
        int count = events.size();
        if (!events.isArray() || count < 1 || count > LOGS_MAX_EVENTS) {
            errors.add("event count " + count);
        }
        long bytes = 0;
        long prev = Long.MIN_VALUE;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        List<LogEvent> batch = new ArrayList<>();
        for (JsonNode e : events) {
            String msg = e.path("message").asText("");
            long ts = e.path("timestamp").asLong(Long.MIN_VALUE);
            int size = msg.getBytes(StandardCharsets.UTF_8).length + LOGS_EVENT_OVERHEAD;
            bytes += size;
            if (msg.isEmpty()) {
                errors.add("empty message");
            }
            if (size > logsMaxEventBytes) {
                errors.add("event of " + size + " bytes exceeds " + logsMaxEventBytes);
            }
            if (hasLoneSurrogate(msg)) {
                errors.add("lone surrogate in message");
            }
            if (ts < prev) {
                errors.add("events not in chronological order");
            }
            prev = ts;
            first = Math.min(first, ts);
            last = Math.max(last, ts);
            batch.add(new LogEvent(ts, msg));
        }
        if (bytes > LOGS_MAX_BATCH_BYTES) {
            errors.add("batch of " + bytes + " bytes exceeds " + LOGS_MAX_BATCH_BYTES);
        }
        if (count > 0 && last - first > DAY) {
            errors.add("batch spans more than 24 hours");
        }
        if (!errors.isEmpty()) {
            violation("PutLogEvents " + group + "/" + stream + ": " + errors);
            logsError(ex, 400, "InvalidParameterException", String.join("; ", errors));
            return;
        }
        long now = System.currentTimeMillis();
        int tooNew = -1;
        int tooOld = -1;
        List<LogEvent> accepted = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            LogEvent e = batch.get(i);
            if (e.timestamp > now + 2 * 3_600_000L) {
                tooNew = tooNew < 0 ? i : tooNew;
            } else if (e.timestamp < now - 14 * DAY) {
                tooOld = i + 1;
            } else {
                accepted.add(e);
            }
        }
        target.addAll(accepted);
        putBatchCounts.add(count);
        putBatchBytes.add((int) bytes);
        ObjectNode resp = json.createObjectNode();
        resp.put("nextSequenceToken", Integer.toString(sequence.incrementAndGet()));
        if (tooNew >= 0 || tooOld >= 0) {
            ObjectNode info = resp.putObject("rejectedLogEventsInfo");
            if (tooNew >= 0) {
                info.put("tooNewLogEventStartIndex", tooNew);
            }
            if (tooOld >= 0) {
                info.put("tooOldLogEventEndIndex", tooOld);
            }
        }
        logsOk(ex, resp);
    }

    private void logsOk(HttpExchange ex, ObjectNode body) throws IOException {
        send(ex, 200, "application/x-amz-json-1.1", json.writeValueAsString(body), null);
    }

    private void logsError(HttpExchange ex, int status, String type, String message) throws IOException {
        error(ex, status, "application/x-amz-json-1.1", type, message, true);
    }

    private void error(HttpExchange ex, int status, String contentType, String type, String message,
                       boolean awsJson) throws IOException {
        ObjectNode n = json.createObjectNode();
        n.put("__type", type);
        n.put(awsJson ? "message" : "Message", message);
        send(ex, status, contentType, json.writeValueAsString(n), type);
    }

    private void send(HttpExchange ex, int status, String contentType, String body, String errorType)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
        if (errorType != null) {
            ex.getResponseHeaders().set("x-amzn-ErrorType", errorType);
        }
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void violation(String v) {
        violations.add(v.length() > 2000 ? v.substring(0, 2000) + "..." : v);
    }

    /** Waits until {@code condition} holds or the timeout passes. */
    public static boolean await(java.util.function.BooleanSupplier condition, long timeoutMs)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }
}
