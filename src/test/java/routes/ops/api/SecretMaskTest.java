package routes.ops.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** No secret of a task's YAML or of its environment survives the mask; the rest of the task stays readable. */
class SecretMaskTest {

    private static final String SOURCE_PASSWORD = "S3cr3t+&%pw=x";
    private static final String TARGET_SECRET = "t4rget-only-in-env";
    private static final String NOT_SECRET = "named-by-a-placeholder";

    private static final String TASK = """
            # Mirrors the shop. Reminder for the on-call: the source password is S3cr3t+&%pw=x
            - route:
                id: shop-to-warehouse
                from:
                  uri: "kamelet:postgres-cdc-source?databasePassword=RAW(inline&secret)&schemaIncludeList=public"
                  parameters:
                    task: shop
                    databaseHostname: "{{SOURCE_HOST}}"
                    databaseUser: "{{SOURCE_USER}}"
                    databasePassword: "RAW({{SOURCE_PASSWORD}})"
                    apiToken: literal-token-value
                    sslKey: |
                      -----BEGIN PRIVATE KEY-----
                      MIIEvQIBADANBgkqhkiG9w0BAQEFAASC
                      -----END PRIVATE KEY-----
                    schemaIncludeList: public
                  steps:
                    - to:
                        uri: "kamelet:jdbc-merge-sink"
                        parameters:
                          task: shop
                          jdbcUrl: "jdbc:postgresql://db:5432/warehouse?user=sync&password=inline-url-password&ssl=true"
                          username: "{{TARGET_USER}}"
                          password: "RAW({{TARGET_PASSWORD}})"
                          saslJaasConfig: 'org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="jaas-pw";'
                          otherUrl: "https://admin:url-user-password@example.org/x"
                          targetTable: "{{TARGET_TABLE_RULE}}"
                          comment: "copied from {{WAREHOUSE_LOGIN}}"
                    - setHeader:
                        name: X
                        constant: "named-by-a-placeholder"
            """;

    @Test
    void everySecretIsMaskedAndTheTaskStaysReadable() {
        Map<String, String> environment = Map.of("SOURCE_PASSWORD", SOURCE_PASSWORD, "TARGET_PASSWORD", TARGET_SECRET,
                "SOURCE_HOST", "db", "SOURCE_USER", "sync", "TARGET_TABLE_RULE", "${table}");
        Map<String, String> properties = Map.of("WAREHOUSE_LOGIN", NOT_SECRET, "kafka.secret", "jaas-pw");

        String yaml = TASK + "# also: " + TARGET_SECRET + " and " + URLEncoder.encode(SOURCE_PASSWORD, StandardCharsets.UTF_8) + "\n";
        String masked = SecretMask.of(yaml, environment, properties).mask(yaml);

        for (String secret : List.of(SOURCE_PASSWORD, URLEncoder.encode(SOURCE_PASSWORD, StandardCharsets.UTF_8), TARGET_SECRET,
                "inline&secret", "literal-token-value", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", "PRIVATE KEY", "inline-url-password",
                "jaas-pw", "url-user-password", "{{SOURCE_PASSWORD}}", "{{TARGET_PASSWORD}}")) {
            assertFalse(masked.contains(secret), secret + " in:\n" + masked);
        }
        assertTrue(masked.contains("databasePassword: ******"), masked);
        assertTrue(masked.contains("password: ******"), masked);
        assertTrue(masked.contains("apiToken: ******"), masked);
        assertTrue(masked.contains("sslKey: ******\n          ******\n          ******\n          ******\n"), masked);
        assertTrue(masked.contains("uri: \"kamelet:postgres-cdc-source?databasePassword=******&schemaIncludeList=public\""), masked);
        assertTrue(masked.contains("jdbc:postgresql://db:5432/warehouse?user=sync&password=******&ssl=true"), masked);
        assertTrue(masked.contains("https://admin:******@example.org/x"), masked);
        // Everything else as written, line for line.
        for (String kept : List.of("    id: shop-to-warehouse", "        databaseHostname: \"{{SOURCE_HOST}}\"",
                "        schemaIncludeList: public", "              targetTable: \"{{TARGET_TABLE_RULE}}\"", "    - setHeader:")) {
            assertTrue(masked.contains(kept + "\n"), kept + " in:\n" + masked);
        }
        assertTrue(masked.contains("constant: \"" + NOT_SECRET + "\""), "a value no secret property names stays: " + masked);
        assertEquals(TASK.lines().count() + 1, masked.lines().count());
    }

    @Test
    void namesOfSecrets() {
        for (String name : List.of("password", "databasePassword", "SOURCE_PASSWORD", "apiToken", "clientSecret", "sslKey",
                "credentialsFile", "saslJaasConfig")) {
            assertTrue(SecretMask.isSecret(name), name);
        }
        for (String name : List.of("databaseUser", "jdbcUrl", "schemaIncludeList", "task", "uri")) {
            assertFalse(SecretMask.isSecret(name), name);
        }
    }
}
