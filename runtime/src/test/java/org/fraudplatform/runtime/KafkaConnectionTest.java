package org.fraudplatform.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaConnectionTest {

    @TempDir Path dir;

    @Test
    void shouldGiveEveryClientTheServersAndTheConnectionSettingsOfTheFile() throws Exception {
        Path file =
                write(
                        """
                        # a cluster behind TLS with SCRAM
                        security.protocol=SASL_SSL
                        sasl.mechanism=SCRAM-SHA-512
                        sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="u" password="p";
                        ssl.truststore.location=/etc/kafka/truststore.p12
                        client.dns.lookup=use_all_dns_ips
                        """);

        KafkaConnection kafka = KafkaConnection.of("b1:9093,b2:9093", file);

        assertThat(kafka.properties())
                .containsEntry("bootstrap.servers", "b1:9093,b2:9093")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.location", "/etc/kafka/truststore.p12")
                .containsEntry("client.dns.lookup", "use_all_dns_ips")
                .hasSize(6);
        assertThat(kafka.map()).isEqualTo(Map.copyOf(kafka.properties()));
        assertThat(kafka.properties())
                .as("a new set each time: a client's own settings never leak to the next")
                .isNotSameAs(kafka.properties());
    }

    @Test
    void shouldRefuseTheWholeFileNamingEverySettingThatIsNotAboutConnecting() throws Exception {
        Path file =
                write(
                        """
                        security.protocol=SASL_SSL
                        acks=1
                        bootstrap.servers=elsewhere:9092
                        enable.idempotence=false
                        """);

        assertThatThrownBy(() -> KafkaConnection.of("b1:9093", file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("acks is not a connection setting")
                .hasMessageContaining("enable.idempotence is not a connection setting")
                .hasMessageContaining("the servers come from --bootstrap-servers");
    }

    @Test
    void shouldRefuseAProtocolKafkaDoesNotKnow() throws Exception {
        Path file = write("security.protocol=TLS\n");

        assertThatThrownBy(() -> KafkaConnection.of("b1:9093", file))
                .hasMessageContaining("security.protocol TLS is none of PLAINTEXT, SSL,");
    }

    @Test
    void shouldSayWhichFileItCannotRead() {
        Path missing = dir.resolve("nope.properties");

        assertThatThrownBy(() -> KafkaConnection.of("b1:9093", missing))
                .hasMessageContaining("cannot read the Kafka client settings " + missing);
    }

    @Test
    void shouldNameTheServersAndProtocolButNeverASecret() throws Exception {
        KafkaConnection kafka =
                KafkaConnection.of(
                        "b1:9093",
                        write(
                                """
                                security.protocol=SASL_SSL
                                sasl.mechanism=PLAIN
                                sasl.jaas.config=x required username="u" password="hunter2";
                                ssl.keystore.password=hunter3
                                """));

        assertThat(kafka.toString())
                .isEqualTo("b1:9093 (SASL_SSL, PLAIN)")
                .doesNotContain("hunter");
        assertThat(KafkaConnection.plain("127.0.0.1:9092").toString())
                .isEqualTo("127.0.0.1:9092 (PLAINTEXT)");
        assertThat(KafkaConnection.plain("127.0.0.1:9092").properties())
                .containsOnlyKeys("bootstrap.servers");
    }

    private Path write(String text) throws Exception {
        Path file = dir.resolve("kafka-" + System.nanoTime() + ".properties");
        Files.writeString(file, text);
        return file;
    }
}
