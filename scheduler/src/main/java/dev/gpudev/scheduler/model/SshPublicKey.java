package dev.gpudev.scheduler.model;

import java.util.Set;

/** One OpenSSH public key line, of any type OpenSSH accepts (ed25519, RSA, ECDSA and the security-key variants). */
public record SshPublicKey(String type, String base64, String comment) {
    public static final Set<String> TYPES = Set.of(
            "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
            "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com", "ssh-dss");

    public SshPublicKey {
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("unsupported SSH key type " + type);
        }
        if (!base64.matches("[A-Za-z0-9+/]+={0,3}")) {
            throw new IllegalArgumentException("SSH key body is not base64");
        }
        comment = comment.replaceAll("[\\r\\n]", " ").strip();
    }

    /** Parses {@code "type base64 [comment]"}. */
    public static SshPublicKey parse(String line) {
        String[] parts = line.strip().split("\\s+", 3);
        if (parts.length < 2) {
            throw new IllegalArgumentException("not an SSH public key line");
        }
        return new SshPublicKey(parts[0], parts[1], parts.length > 2 ? parts[2] : "");
    }

    public String line() {
        return comment.isEmpty() ? type + " " + base64 : type + " " + base64 + " " + comment;
    }
}
