package org.fraudplatform.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class ApiExposureTest {

    private static InetAddress address(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal); // a literal: nothing is looked up
    }

    @Test
    void shouldServeHttpsWhereverItListensWhenACertificateIsGiven() throws Exception {
        for (String host : new String[] {"127.0.0.1", "0.0.0.0", "10.1.2.3", "::"}) {
            assertThat(ApiExposure.of(address(host), true, false))
                    .as(host)
                    .isEqualTo(ApiExposure.HTTPS);
        }
    }

    @Test
    void shouldServePlainHttpOnALoopbackAddress() throws Exception {
        for (String host : new String[] {"127.0.0.1", "127.0.0.2", "::1"}) {
            assertThat(ApiExposure.of(address(host), false, false))
                    .as(host)
                    .isEqualTo(ApiExposure.PLAIN_HTTP_ON_LOOPBACK);
        }
    }

    @Test
    void shouldRefusePlainHttpOnANonLoopbackAddressWithoutTls() throws Exception {
        for (String host : new String[] {"0.0.0.0", "::", "10.1.2.3", "192.168.1.20", "8.8.8.8"}) {
            assertThat(ApiExposure.of(address(host), false, false))
                    .as(host)
                    .isEqualTo(ApiExposure.REFUSED);
        }
        assertThat(ApiExposure.refusal("0.0.0.0"))
                .startsWith("--host 0.0.0.0 is not a loopback address")
                .contains("give --tls-cert and --tls-key to serve HTTPS, or --allow-plain-http");
    }

    @Test
    void shouldServePlainHttpOnANonLoopbackAddressWhenAllowedAndWarn() throws Exception {
        assertThat(ApiExposure.of(address("0.0.0.0"), false, true))
                .isEqualTo(ApiExposure.PLAIN_HTTP_ALLOWED);
        assertThat(ApiExposure.warning("0.0.0.0"))
                .startsWith("PLAIN HTTP on 0.0.0.0, which is not a loopback address")
                .contains("TLS-terminating proxy");
    }

    @Test
    void shouldGiveTheApiUrlWithHttpsWhenTlsIsOn() {
        assertThat(ApiExposure.url("localhost", 8443, true)).isEqualTo("https://localhost:8443");
        assertThat(ApiExposure.url("0.0.0.0", 8443, true)).isEqualTo("https://localhost:8443");
        assertThat(ApiExposure.url("127.0.0.1", 8443, true))
                .as("the name a certificate for local use carries")
                .isEqualTo("https://localhost:8443");
        assertThat(ApiExposure.url("api.example.com", 443, true))
                .isEqualTo("https://api.example.com:443");
        assertThat(ApiExposure.url("127.0.0.1", 8080, false)).isEqualTo("http://127.0.0.1:8080");
        assertThat(ApiExposure.url("::1", 8080, false)).isEqualTo("http://[::1]:8080");
        assertThat(ApiExposure.url("::", 8080, false)).isEqualTo("http://localhost:8080");
    }
}
