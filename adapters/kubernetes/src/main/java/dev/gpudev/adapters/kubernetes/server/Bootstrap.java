package dev.gpudev.adapters.kubernetes.server;

/** The container's default start: the user, the SSH keys, the environment for login shells, sshd and Jupyter. */
final class Bootstrap {
    static final String KEYS_DIR = "/etc/gpu-dev/ssh";

    static final String SCRIPT = """
            set -eu
            U="$GPU_DEV_USER"
            if [ ! -x /usr/sbin/sshd ]; then
              (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-server) \\
                || dnf -y -q install openssh-server || yum -y -q install openssh-server
            fi
            id "$U" >/dev/null 2>&1 || useradd -m -s /bin/bash "$U"
            H=$(getent passwd "$U" | cut -d: -f6)
            mkdir -p "$H/.ssh" /workspace /run/sshd
            cp %1$s/authorized_keys "$H/.ssh/authorized_keys"
            chown "$U" "$H" "$H/.ssh" "$H/.ssh/authorized_keys" /workspace
            chmod 700 "$H/.ssh"; chmod 600 "$H/.ssh/authorized_keys"
            # Login shells do not inherit the container's environment: keep what the server was started with.
            export -p | grep -E '^declare -x (HF_HOME|XDG_CACHE_HOME|MASTER_ADDR|MASTER_PORT|WORLD_SIZE|NODE_RANK|NNODES|NPROC_PER_NODE|NCCL_[A-Z_]*|FI_[A-Z_]*|GPU_DEV_[A-Z_]*|CUDA_[A-Z_]*|NVIDIA_[A-Z_]*|LD_LIBRARY_PATH|PATH)=' > /etc/profile.d/gpu-dev.sh || true
            ssh-keygen -A >/dev/null
            if [ -n "${JUPYTER_TOKEN:-}" ] && command -v jupyter >/dev/null 2>&1; then
              (cd /workspace && runuser -u "$U" -- jupyter lab --ip="${JUPYTER_IP:-127.0.0.1}" --port="$JUPYTER_PORT" --no-browser) &
            fi
            exec /usr/sbin/sshd -D -e -o PasswordAuthentication=no -o PermitRootLogin=no -o AllowUsers="$U"
            """.formatted(KEYS_DIR);

    private Bootstrap() {
    }
}
