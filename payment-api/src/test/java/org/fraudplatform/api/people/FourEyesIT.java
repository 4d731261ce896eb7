package org.fraudplatform.api.people;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.fraudplatform.database.Database;
import org.fraudplatform.database.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The four-eyes policy, on a real PostgreSQL. */
class FourEyesIT {

    private Database db;
    private FourEyes policy;

    @BeforeEach
    void database() {
        db = TestDatabase.fresh();
        policy =
                new FourEyes(
                        db.dataSource(),
                        Clock.fixed(Instant.parse("2026-12-01T09:00:00Z"), ZoneOffset.UTC));
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void shouldRequireNothingUntilAnAdministratorSaysSo() {
        assertThat(policy.policy())
                .isEqualTo(Map.of(Permission.RULES, false, Permission.MODELS, false));
        assertThatCode(
                        () ->
                                policy.refuseAlone(
                                        Permission.RULES, "rules deploys", "fraud rules deploy"))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseAChangeByOnePersonAloneWhereFourEyesAreRequiredNamingHowToProposeIt() {
        policy.require(Permission.MODELS, true, "person:admin");

        assertThat(policy.required(Permission.MODELS)).isTrue();
        assertThat(policy.required(Permission.RULES)).isFalse();
        assertThatThrownBy(
                        () ->
                                policy.refuseAlone(
                                        Permission.MODELS,
                                        "model promotions",
                                        "fraud models promote V --require-approval"))
                .isInstanceOf(FourEyes.Required.class)
                .hasMessage(
                        "four eyes are required for model promotions (fraud policy four-eyes):"
                                + " propose it with 'fraud models promote V --require-approval',"
                                + " and another person approves it");
        assertThatCode(
                        () ->
                                policy.refuseAlone(
                                        Permission.RULES, "rules deploys", "fraud rules deploy"))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldStopRequiringFourEyesWhenToldAndApplyOnlyToRulesAndModels() {
        policy.require(Permission.RULES, true, "person:admin");
        policy.require(Permission.RULES, false, "person:admin");

        assertThat(policy.required(Permission.RULES)).isFalse();
        assertThatThrownBy(() -> policy.require(Permission.LISTS, true, "person:admin"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("four eyes apply to rules and models");
    }
}
