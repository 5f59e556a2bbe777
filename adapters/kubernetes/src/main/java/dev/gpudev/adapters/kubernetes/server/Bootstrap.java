package dev.gpudev.adapters.kubernetes.server;

/** The container's default start: the user, the SSH keys, the environment for login shells, sshd, and Jupyter while it is on. */
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

    /** The Secret's Jupyter token, projected here while Jupyter is on (the volume is optional: off, the file is absent). */
    static final String JUPYTER_DIR = "/etc/gpu-dev/jupyter";
    static final String JUPYTER_TOKEN_FILE = JUPYTER_DIR + "/" + ServerObjects.JUPYTER_TOKEN;
    /** Root-only: the running Jupyter's session id ({@code .pid}) and the token it was started with ({@code .token}). */
    static final String JUPYTER_STATE = "/run/gpu-dev/jupyter";
    /**
     * Jupyter runs while the Secret holds a token: {@code /gpu edit --jupyter on|off} adds or removes it, the kubelet
     * updates the projected file, and this starts Jupyter with that token in a session of its own, or ends that session.
     * It acts when the token changes only, so a Jupyter that exits by itself is not restarted every round. A function,
     * so a test can run it with a stub {@code jupyter}: arguments token file, state prefix, working directory.
     */
    static final String JUPYTER_SYNC = """
            sync_jupyter() {
              want=$(cat "$1" 2>/dev/null || true)
              have=$(cat "$2.token" 2>/dev/null || true)
              [ "$want" = "$have" ] && return 0
              if [ -s "$2.pid" ]; then
                kill -TERM "-$(cat "$2.pid")" 2>/dev/null || true
                rm -f "$2.pid"
                echo "gpu-dev: jupyter stopped"
              fi
              rm -f "$2.token"
              [ -n "$want" ] || return 0
              (umask 077 && printf '%s' "$want" > "$2.token")
              if ! command -v jupyter >/dev/null 2>&1; then
                echo "gpu-dev: jupyter is not installed in this image; use one that has it"
                return 0
              fi
              (cd "$3" && JUPYTER_TOKEN="$want" exec setsid runuser -u "$U" -- jupyter lab --ip="$JUPYTER_IP" --port="$JUPYTER_PORT" --no-browser) &
              echo $! > "$2.pid"
              echo "gpu-dev: jupyter started on port $JUPYTER_PORT"
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
            install -d -m 700 /run/gpu-dev
            install -m 644 %1$s/authorized_keys %2$s
            %3$s%5$s(while sleep %4$d; do sync_keys %1$s/authorized_keys %2$s; sync_jupyter %6$s %7$s /workspace || true; done) &
            chown "$U" "$H" /workspace
            # Login shells do not inherit the container's environment: keep what the server was started with.
            export -p | grep -E '^declare -x (HF_HOME|XDG_CACHE_HOME|MASTER_ADDR|MASTER_PORT|WORLD_SIZE|NODE_RANK|NNODES|NPROC_PER_NODE|NCCL_[A-Z_]*|FI_[A-Z_]*|GPU_DEV_[A-Z_]*|CUDA_[A-Z_]*|NVIDIA_[A-Z_]*|LD_LIBRARY_PATH|PATH)=' > /etc/profile.d/gpu-dev.sh || true
            ssh-keygen -A >/dev/null
            sync_jupyter %6$s %7$s /workspace || true
            exec /usr/sbin/sshd -D -e -o PasswordAuthentication=no -o PermitRootLogin=no -o AllowUsers="$U" \\
              -o AuthorizedKeysFile=%2$s
            """.formatted(KEYS_DIR, AUTHORIZED_KEYS, KEY_SYNC, KEY_SYNC_SECONDS, JUPYTER_SYNC, JUPYTER_TOKEN_FILE, JUPYTER_STATE);

    private Bootstrap() {
    }
}
