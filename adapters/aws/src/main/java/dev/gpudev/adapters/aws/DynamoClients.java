package dev.gpudev.adapters.aws;

import java.time.Duration;

import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * Builds the DynamoDB client. Throttling, 5xx and I/O errors are retried by the SDK's standard strategy (jittered
 * exponential backoff, a longer base for throttling); after {@link #ATTEMPTS} attempts the store reports unavailable.
 * Credentials come from the default chain (IRSA in EKS, env vars locally).
 */
public final class DynamoClients {
    static final int ATTEMPTS = 5;

    private DynamoClients() {
    }

    public static DynamoDbClient create(DynamoSettings settings) {
        return builder(settings, standardRetries()).build();
    }

    static RetryStrategy standardRetries() {
        return AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(ATTEMPTS).build();
    }

    /** A strategy with the same rules and millisecond backoff, so tests of persistent failure run fast. */
    static RetryStrategy fastRetries() {
        BackoffStrategy quick = BackoffStrategy.exponentialDelay(Duration.ofMillis(1), Duration.ofMillis(5));
        return AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(ATTEMPTS)
                .backoffStrategy(quick).throttlingBackoffStrategy(quick).build();
    }

    static DynamoDbClientBuilder builder(DynamoSettings settings, RetryStrategy retries) {
        DynamoDbClientBuilder b = DynamoDbClient.builder()
                .region(Region.of(settings.region()))
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(5)))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(retries)
                        .apiCallAttemptTimeout(Duration.ofSeconds(5))
                        .apiCallTimeout(Duration.ofSeconds(20))
                        .build());
        settings.endpointUri().ifPresent(b::endpointOverride);
        return b;
    }
}
