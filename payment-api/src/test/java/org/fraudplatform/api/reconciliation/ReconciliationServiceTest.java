package org.fraudplatform.api.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.fraudplatform.api.http.HttpReply;
import org.fraudplatform.api.http.Json;
import org.junit.jupiter.api.Test;

/**
 * A resolution's checks, before anything is read or sent: the service has no database and no
 * producer here.
 */
class ReconciliationServiceTest {

    private final ReconciliationService service =
            new ReconciliationService(null, null, null, Clock.systemUTC());

    @Test
    void shouldRefuseACardNumberInAResolutionNoteNamingTheField() throws Exception {
        HttpReply reply =
                service.resolve(
                                "person:ana",
                                ("{\"item_id\": \"pay_1/cap_1\", \"note\": \"provider credited"
                                                + " card 4111-1111-1111-1111\"}")
                                        .getBytes(StandardCharsets.UTF_8))
                        .get();

        assertThat(reply.status()).isEqualTo(400);
        JsonNode problem = Json.MAPPER.readTree(reply.body());
        assertThat(problem.get("errors").findValuesAsText("field")).containsExactly("note");
        assertThat(new String(reply.body(), StandardCharsets.UTF_8)).doesNotContain("4111");
    }
}
