package dev.gpudev.adapters.github;

/**
 * GitHub App credentials: the app id (GITHUB_APP_ID), its private key in PEM (GITHUB_APP_PRIVATE_KEY, PKCS#1 as GitHub
 * issues it, or PKCS#8) and the installation id in the org whose members are checked.
 */
public record GithubApp(String appId, String privateKeyPem, long installationId) {
    public static final GithubApp NONE = new GithubApp("", "", 0);

    public GithubApp {
        appId = appId.strip();
        boolean any = !appId.isEmpty() || !privateKeyPem.isBlank() || installationId != 0;
        boolean all = !appId.isEmpty() && !privateKeyPem.isBlank() && installationId > 0;
        if (any && !all) {
            throw new IllegalArgumentException("a GitHub App needs GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY and github.app.installation-id");
        }
    }

    public boolean configured() {
        return !appId.isEmpty();
    }

    @Override
    public String toString() {
        return configured() ? "GithubApp[appId=" + appId + ", installationId=" + installationId + ", privateKey=***]" : "none";
    }
}
