package dev.gpudev.adapters.github.keys;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import dev.gpudev.scheduler.model.SshPublicKey;

/** A key as {@code ssh-keygen -l} shows it: {@code 256 SHA256:Qp35... ana@laptop (ED25519)}. */
public record KeyFingerprint(int bits, String sha256, String comment, String kind) {
    /** @throws IllegalArgumentException when the blob is not a well-formed key of the type its line names */
    public static KeyFingerprint of(SshPublicKey key) {
        byte[] blob = Base64.getDecoder().decode(key.base64());
        List<byte[]> fields = fields(key.type(), blob);
        String hash = Base64.getEncoder().withoutPadding().encodeToString(sha256(blob));
        return new KeyFingerprint(bits(key.type(), fields), "SHA256:" + hash, key.comment(), kind(key.type()));
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
    private static int bits(String type, List<byte[]> fields) {
        return switch (type) {
            case "ssh-rsa", "ssh-dss" -> {
                BigInteger n = new BigInteger(fields.get(type.equals("ssh-rsa") ? 2 : 1));   // modulus n after e, or prime p
                if (n.signum() <= 0) {
                    throw new IllegalArgumentException("malformed " + type + " key blob: the modulus is not positive");
                }
                yield n.bitLength();
            }
            case "ecdsa-sha2-nistp384" -> 384;
            case "ecdsa-sha2-nistp521" -> 521;
            default -> 256;
        };
    }

    /**
     * The blob's fields (RFC 4253, 5656, 8709, OpenSSH PROTOCOL.u2f): the type it names, then exactly the fields of
     * that type, none empty and nothing after them; sshd refuses anything else.
     */
    private static List<byte[]> fields(String type, byte[] blob) {
        int count = switch (type) {
            case "ssh-ed25519" -> 2;                                                          // type, key
            case "ssh-rsa", "sk-ssh-ed25519@openssh.com" -> 3;                                // type, e, n / key, application
            case "sk-ecdsa-sha2-nistp256@openssh.com" -> 4;                                   // type, curve, point, application
            case "ssh-dss" -> 5;                                                              // type, p, q, g, y
            default -> 3;                                                                     // ecdsa: type, curve, point
        };
        ByteBuffer buf = ByteBuffer.wrap(blob);
        List<byte[]> fields = new ArrayList<>();
        while (fields.size() < count) {
            if (buf.remaining() < 4) {
                throw new IllegalArgumentException("malformed " + type + " key blob: it ends after " + fields.size() + " of " + count + " fields");
            }
            int len = buf.getInt();
            if (len <= 0 || len > buf.remaining()) {
                throw new IllegalArgumentException("malformed " + type + " key blob: field " + (fields.size() + 1) + " has length " + len);
            }
            byte[] field = new byte[len];
            buf.get(field);
            fields.add(field);
        }
        if (buf.hasRemaining()) {
            throw new IllegalArgumentException("malformed " + type + " key blob: " + buf.remaining() + " bytes after its fields");
        }
        if (!new String(fields.getFirst(), StandardCharsets.US_ASCII).equals(type)) {
            throw new IllegalArgumentException("key type does not match its blob");
        }
        return fields;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
