package io.trailguard.job.kinesis;

import io.trailguard.job.bundle.BundleSignature;
import io.trailguard.job.bundle.BundleSigner;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SignResponse;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;


/**
 * Signs bundles with an AWS KMS asymmetric key ({@code kms:Sign}, message type RAW; the canonical bytes are a few
 * hundred bytes, under KMS's 4096-byte limit). The private key never leaves KMS; the job verifies with the exported
 * public key ({@code bundles.verify_key=kms-public:...}), so it makes no KMS call. The client comes from
 * {@code AwsClients.kms}.
 */
public final class KmsBundleSigner implements BundleSigner {
    private final KmsClient client;
    private final String keyId;
    private final String algorithm;

    /** @param algorithm {@code ECDSA_SHA_256}, {@code RSASSA_PSS_SHA_256} or {@code RSASSA_PKCS1_V1_5_SHA_256} */
    public KmsBundleSigner(KmsClient client, String keyId, String algorithm) {
        if (!BundleSignature.ECDSA_SHA_256.equals(algorithm) && !BundleSignature.RSASSA_PSS_SHA_256.equals(algorithm)
                && !BundleSignature.RSASSA_PKCS1_V1_5_SHA_256.equals(algorithm)) {
            throw new IllegalArgumentException("KMS signing algorithm must be ECDSA_SHA_256, RSASSA_PSS_SHA_256 or "
                    + "RSASSA_PKCS1_V1_5_SHA_256, not '" + algorithm + "'");
        }
        this.client = client;
        this.keyId = keyId;
        this.algorithm = algorithm;
    }

    @Override
    public BundleSignature sign(byte[] canonical) {
        SignResponse r = client.sign(b -> b.keyId(keyId).message(SdkBytes.fromByteArray(canonical))
                .messageType(MessageType.RAW).signingAlgorithm(SigningAlgorithmSpec.fromValue(algorithm)));
        String usedKey = r.keyId() != null ? r.keyId() : keyId;
        return new BundleSignature(algorithm, usedKey, r.signature().asByteArray());
    }
}
