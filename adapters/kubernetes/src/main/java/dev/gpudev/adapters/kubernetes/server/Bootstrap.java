package dev.gpudev.adapters.kubernetes.server;

/** The container's default start: the user, the SSH keys, the environment for login shells, sshd and Jupyter. */
final class Bootstrap {
    static final String KEYS_DIR = "/etc/gpu-dev/ssh";
    /** The only keys sshd accepts: the owner's and collaborators' GitHub keys, never a file in the user's home. */
    static final String AUTHORIZED_KEYS = "/etc/ssh/gpu-dev/authorized_keys";

    /** How often the key sync compares the mounted Secret with sshd's copy. */
    static final int KEY_SYNC_SECONDS = 10;
    /**
     * {@code /gpu edit} changes the Secret and the kubelet updates its volume in place; this keeps sshd's copy in step
     * (only root writes it, never inside the home) and logs each change. A function, so a test can run one round.
     */
    static final String KEY_SYNC = """
            sync_keys() {
              if [ "$(cat "$1" 2>/dev/null)" != "$(cat "$2" 2>/dev/null)" ] && [ -s "$1" ]; then
                install -m 644 "$1" "$2.new" && mv -f "$2.new" "$2" && echo "gpu-dev: authorized_keys updated ($(grep -c . "$2") keys)"
              fi
            }
            """;

    static final String SCRIPT = """
            set -eu
            U="$GPU_DEV_USER"
            if [ ! -x /usr/sbin/sshd ]; then
              (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-server) \\
                || dnf -y -q install openssh-server || yum -y -q install openssh-server
            fi
            id "$U" >/dev/null 2>&1 || useradd -m -s /bin/bash "$U"
            H=$(getent passwd "$U" | cut -d: -f6)
            # Root never writes inside the home: a persistent home is the user's, and a symlink they left there
            # (~/.ssh/authorized_keys -> /etc/ld.so.preload) would turn a root copy or chmod into root for them.
            # The keys live where only root writes; sshd reads them from there (AuthorizedKeysFile below).
            install -d -m 755 /etc/ssh/gpu-dev /workspace /run/sshd
            install -m 644 %1$s/authorized_keys %2$s
            %3$s(while sleep %4$d; do sync_keys %1$s/authorized_keys %2$s; done) &
            chown "$U" "$H" /workspace
            # Login shells do not inherit the container's environment: keep what the server was started with.
            export -p | grep -E '^declare -x (HF_HOME|XDG_CACHE_HOME|MASTER_ADDR|MASTER_PORT|WORLD_SIZE|NODE_RANK|NNODES|NPROC_PER_NODE|NCCL_[A-Z_]*|FI_[A-Z_]*|GPU_DEV_[A-Z_]*|CUDA_[A-Z_]*|NVIDIA_[A-Z_]*|LD_LIBRARY_PATH|PATH)=' > /etc/profile.d/gpu-dev.sh || true
            ssh-keygen -A >/dev/null
            if [ -n "${JUPYTER_TOKEN:-}" ] && command -v jupyter >/dev/null 2>&1; then
              (cd /workspace && runuser -u "$U" -- jupyter lab --ip="${JUPYTER_IP:-127.0.0.1}" --port="$JUPYTER_PORT" --no-browser) &
            fi
            exec /usr/sbin/sshd -D -e -o PasswordAuthentication=no -o PermitRootLogin=no -o AllowUsers="$U" \\
              -o AuthorizedKeysFile=%2$s
            """.formatted(KEYS_DIR, AUTHORIZED_KEYS, KEY_SYNC, KEY_SYNC_SECONDS);

    private Bootstrap() {
    }
}
