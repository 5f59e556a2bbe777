package dev.gpudev.adapters.github.keys;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import dev.gpudev.scheduler.model.SshPublicKey;

/** A key as {@code ssh-keygen -l} shows it: {@code 256 SHA256:Qp35... ana@laptop (ED25519)}. */
public record KeyFingerprint(int bits, String sha256, String comment, String kind) {
    public static KeyFingerprint of(SshPublicKey key) {
        byte[] blob = Base64.getDecoder().decode(key.base64());
        String hash = Base64.getEncoder().withoutPadding().encodeToString(sha256(blob));
        return new KeyFingerprint(bits(key.type(), blob), "SHA256:" + hash, key.comment(), kind(key.type()));
    }

    @Override
    public String toString() {
        return bits + " " + sha256 + (comment.isEmpty() ? "" : " " + comment) + " (" + kind + ")";
    }

    private static String kind(String type) {
        return switch (type) {
            case "ssh-ed25519" -> "ED25519";
            case "sk-ssh-ed25519@openssh.com" -> "ED25519-SK";
            case "ssh-rsa" -> "RSA";
            case "ssh-dss" -> "DSA";
            case "sk-ecdsa-sha2-nistp256@openssh.com" -> "ECDSA-SK";
            default -> "ECDSA";
        };
    }

    /** RSA and DSA sizes come from the key's modulus or prime; the others are fixed by the type. */
    private static int bits(String type, byte[] blob) {
        return switch (type) {
            case "ssh-rsa", "ssh-dss" -> {
                ByteBuffer buf = ByteBuffer.wrap(blob);
                field(buf);                                 // key type
                if (type.equals("ssh-rsa")) {
                    field(buf);                             // public exponent e
                }
                yield new BigInteger(field(buf)).bitLength();   // modulus n, or prime p for DSA
            }
            case "ecdsa-sha2-nistp384" -> 384;
            case "ecdsa-sha2-nistp521" -> 521;
            default -> 256;
        };
    }

    private static byte[] field(ByteBuffer buf) {
        int len = buf.getInt();
        if (len < 0 || len > buf.remaining()) {
            throw new IllegalArgumentException("malformed SSH key blob");
        }
        byte[] out = new byte[len];
        buf.get(out);
        return out;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    static String typeInBlob(byte[] blob) {
        return new String(field(ByteBuffer.wrap(blob)), StandardCharsets.US_ASCII);
    }
}
