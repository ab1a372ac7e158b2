package dev.sluice.compile;

import dev.sluice.error.CompilationException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which values are secret, as in dbt: DBT_ENV_SECRET_* variables' (used or not) and the profile's, no others. */
class SecretsMaskingTest {
    @Test
    void onlySecretVariablesAndAddedValuesAreMasked() {
        Secrets s = new Secrets(Map.of("DBT_ENV_SECRET_API", "s3cr3t-value", "PLAIN_HOST", "db.example.com"));
        assertEquals("key=***** host=db.example.com", s.mask("key=s3cr3t-value host=db.example.com"));
        s.add("profile-password");
        assertEquals("pw *****", s.mask("pw profile-password"));
        assertEquals(Map.of("a", List.of("*****", "db.example.com")),
                s.maskTree(Map.of("a", List.of("s3cr3t-value", "db.example.com"))));
    }

    @Test
    void envVarRefusesSecretVariablesWhereDbtDoes() {
        Secrets s = new Secrets(Map.of());
        CompilationException e = assertThrows(CompilationException.class,
                () -> s.envVar().call(List.of("DBT_ENV_SECRET_API"), Map.of()));
        assertTrue(e.getMessage().contains("'DBT_ENV_SECRET_API'"), e.getMessage());
        // In a profile (or an operator's settings) the same call is allowed: the default comes back when unset.
        assertEquals("fallback", s.secretEnvVar().call(List.of("DBT_ENV_SECRET_SURELY_UNSET_42", "fallback"), Map.of()));
        // A variable that is not secret is read and not recorded as a secret.
        assertEquals("plain-default", s.envVar().call(List.of("SLUICE_SURELY_UNSET_42", "plain-default"), Map.of()));
        assertEquals("plain-default", s.mask("plain-default"));
    }
}
