package dev.gpudev.adapters.aws;

import java.net.URI;
import java.util.Optional;

/**
 * Where the tables are: the {@code store.dynamodb} config node.
 *
 * @param endpoint     empty for AWS itself; a URL for dynalite or LocalStack
 * @param createTables create missing tables at start: for local and test use only, in production the infra owns them
 */
public record DynamoSettings(String region, String endpoint, String reservationsTable, String linksTable, boolean createTables) {
    private static final String TABLE_NAME = "[a-zA-Z0-9_.-]{3,255}";

    public DynamoSettings {
        if (region.isBlank()) {
            throw new IllegalArgumentException("store.dynamodb.region must not be empty");
        }
        if (!reservationsTable.matches(TABLE_NAME) || !linksTable.matches(TABLE_NAME)) {
            throw new IllegalArgumentException("DynamoDB table names are 3-255 letters, digits, '_', '-' or '.': "
                    + reservationsTable + ", " + linksTable);
        }
        if (reservationsTable.equals(linksTable)) {
            throw new IllegalArgumentException("store.dynamodb.reservations-table and links-table must differ");
        }
        if (!endpoint.isBlank()) {
            URI uri = URI.create(endpoint);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("store.dynamodb.endpoint must be a URL such as http://localhost:8000: " + endpoint);
            }
        }
    }

    public static DynamoSettings defaults() {
        return new DynamoSettings("us-east-2", "", "gpu-dev-reservations", "gpu-dev-links", false);
    }

    public Optional<URI> endpointUri() {
        return endpoint.isBlank() ? Optional.empty() : Optional.of(URI.create(endpoint));
    }

    public DynamoSettings withTables(String reservations, String links) {
        return new DynamoSettings(region, endpoint, reservations, links, createTables);
    }
}
