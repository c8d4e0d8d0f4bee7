package io.trailguard.job.kinesis;

import io.trailguard.job.bundle.ChunkAssembly;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.trailguard.job.TestRules;
import io.trailguard.job.bundle.BundleSignature;
import io.trailguard.job.bundle.BundleVerifier;
import io.trailguard.job.bundle.CompiledBundle;
import io.trailguard.job.bundle.ControlMessage;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.serde.JobJson;
import io.trailguard.rules.engine.MatchingMode;
import org.junit.jupiter.api.Test;
import io.trailguard.job.aws.AwsClients;
import io.trailguard.job.aws.AwsConnection;
import software.amazon.awssdk.services.kms.KmsClient;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code publish --sign-key kms:...}'s signing path through the real AWS SDK KMS client, against a local endpoint that
 * speaks the KMS JSON protocol ({@code X-Amz-Target: TrentService.Sign}) and signs with a local key pair; the job's
 * verifier then checks with the public key alone.
 */
class KmsBundleSignerTest {
    /** A minimal KMS: TrentService.Sign with one key, RAW messages. */
    static final class FakeKms implements AutoCloseable {
        final HttpServer server;
        final List<JsonNode> requests = Collections.synchronizedList(new ArrayList<>());

        FakeKms(String keyId, PrivateKey key) throws Exception {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", ex -> {
                byte[] body;
                try (InputStream in = ex.getRequestBody()) {
                    body = in.readAllBytes();
                }
                String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
                JsonNode req = JobJson.mapper().readTree(body);
                requests.add(req);
                int code = 200;
                ObjectNode resp = JobJson.mapper().createObjectNode();
                try {
                    if (!"TrentService.Sign".equals(target)) {
                        throw new IllegalArgumentException("UnsupportedOperation " + target);
                    }
                    if (!keyId.equals(req.path("KeyId").asText())) {
                        code = 400;
                        resp.put("__type", "NotFoundException").put("message", "Key not found");
                    } else {
                        String alg = req.path("SigningAlgorithm").asText();
                        Signature s;
                        if (alg.equals("ECDSA_SHA_256")) {
                            s = Signature.getInstance("SHA256withECDSA");
                        } else if (alg.equals("RSASSA_PSS_SHA_256")) {
                            s = Signature.getInstance("RSASSA-PSS");
                            s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
                        } else {
                            throw new IllegalArgumentException("alg " + alg);
                        }
                        s.initSign(key);
                        s.update(Base64.getDecoder().decode(req.path("Message").asText()));
                        resp.put("KeyId", "arn:aws:kms:us-east-1:111122223333:key/" + keyId)
                                .put("Signature", Base64.getEncoder().encodeToString(s.sign()))
                                .put("SigningAlgorithm", alg);
                    }
                } catch (Exception e) {
                    code = 400;
                    resp.put("__type", "ValidationException").put("message", String.valueOf(e.getMessage()));
                }
                byte[] out = JobJson.write(resp).getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
                ex.sendResponseHeaders(code, out.length);
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(out);
                }
            });
            server.start();
        }

        String endpoint() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @Test
    void kmsSignWithEcdsaAndRsaPssVerifiesWithTheExportedPublicKey() throws Exception {
        KeyPairGenerator ecg = KeyPairGenerator.getInstance("EC");
        ecg.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPairGenerator rsag = KeyPairGenerator.getInstance("RSA");
        rsag.initialize(2048);
        Object[][] cases = {{ecg.generateKeyPair(), "ECDSA_SHA_256"}, {rsag.generateKeyPair(), "RSASSA_PSS_SHA_256"}};
        for (Object[] c : cases) {
            KeyPair kp = (KeyPair) c[0];
            String alg = (String) c[1];
            try (FakeKms kms = new FakeKms("1234abcd-key", kp.getPrivate());
                 KmsClient client = AwsClients.kms(AwsConnection.of("us-east-1", kms.endpoint()))) {
                RuleBundle big = TestRules.bigBundle("kms-" + alg, 1_200_000);
                RuleBundle signed = new KmsBundleSigner(client, "1234abcd-key", alg).sign(big);
                assertThat(kms.requests).singleElement().satisfies(r -> {
                    assertThat(r.path("MessageType").asText()).isEqualTo("RAW");
                    assertThat(Base64.getDecoder().decode(r.path("Message").asText()))
                            .isEqualTo(BundleSignature.canonical(big));
                });
                assertThat(signed.signature().alg()).isEqualTo(alg);
                assertThat(signed.signature().keyId()).endsWith("key/1234abcd-key");
                // chunked on the wire, reassembled, verified with the public key only (kms-public:b64:...)
                List<byte[]> records = ControlMessage.encode(signed, ControlMessage.MAX_RECORD_BYTES);
                assertThat(records.size()).isGreaterThan(1);
                ChunkAssembly a = new ChunkAssembly();
                RuleBundle received = null;
                for (byte[] r : records) {
                    RuleBundle b = a.accept(r, "shardId-0:1").bundle;
                    received = b != null ? b : received;
                }
                BundleVerifier v = BundleVerifier.of(true, "kms-public:b64:"
                        + Base64.getEncoder().encodeToString(kp.getPublic().getEncoded())).validate();
                assertThat(CompiledBundle.compile(received, MatchingMode.ALL, v).ok()).as(alg).isTrue();
                RuleBundle renamed = RuleBundle.fromStateJson(received.toStateJson()
                        .replace("\"version\":\"kms-" + alg + "\"", "\"version\":\"other\""));
                assertThat(CompiledBundle.compile(renamed, MatchingMode.ALL, v).errors()).singleElement().asString()
                        .contains("does not verify");
            }
        }
    }

    @Test
    void kmsErrorsSurfaceAndNothingIsSigned() throws Exception {
        KeyPairGenerator ecg = KeyPairGenerator.getInstance("EC");
        ecg.initialize(new ECGenParameterSpec("secp256r1"));
        try (FakeKms kms = new FakeKms("the-key", ecg.generateKeyPair().getPrivate());
             KmsClient client = AwsClients.kms(AwsConnection.of("us-east-1", kms.endpoint()))) {
            assertThatThrownBy(() -> new KmsBundleSigner(client, "no-such-key", "ECDSA_SHA_256")
                    .sign(TestRules.base())).hasMessageContaining("Key not found");
            assertThatThrownBy(() -> new KmsBundleSigner(client, "the-key", "HMAC-SHA256"))
                    .hasMessageContaining("ECDSA_SHA_256");
        }
    }
}
