package org.fraudplatform.workers.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.fraudplatform.workers.webhooks.WebhookDestinations.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where webhooks may go: public {@code https} endpoints only, every address of a name checked, the
 * same answer for literal addresses, for IPv6 and for IPv6 carrying IPv4; with private destinations
 * allowed, plain {@code http} and loopback, private and carrier-grade NAT addresses too, but never
 * link-local, metadata, unspecified, multicast or reserved ones. Names are answered by the test's
 * own resolver: nothing is looked up.
 */
class WebhookDestinationsTest {

    /** The names this test's resolver knows; any other cannot be resolved. */
    private final Map<String, List<InetAddress>> answers = new ConcurrentHashMap<>();

    private final HostResolver resolver =
            host -> {
                List<InetAddress> a = answers.get(host);
                if (a == null) {
                    throw new UnknownHostException(host);
                }
                return a.toArray(InetAddress[]::new);
            };

    private final WebhookDestinations publicOnly = new WebhookDestinations(false, resolver);
    private final WebhookDestinations privateAllowed = new WebhookDestinations(true, resolver);

    private void answer(String host, String... addresses) {
        answers.put(
                host, java.util.Arrays.stream(addresses).map(WebhookDestinationsTest::ip).toList());
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: parsed, not looked up
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    /** An IPv6 address as a resolver may answer it, even one that carries an IPv4 address. */
    private static InetAddress ipv6(int... groups) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[2 * i] = (byte) (groups[i] >> 8);
            b[2 * i + 1] = (byte) groups[i];
        }
        try {
            return Inet6Address.getByAddress(null, b, null);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String refusal(WebhookDestinations destinations, String url) {
        try {
            destinations.check(url);
        } catch (WebhookDestinations.Refused e) {
            return e.getMessage();
        }
        throw new AssertionError(url + " was accepted");
    }

    @Test
    void shouldAcceptAnHttpsUrlWhoseNameHasOnlyPublicAddressesAndConnectToTheFirst()
            throws Exception {
        answer("hooks.shop.test", "203.0.113.10", "2001:db8::10");

        WebhookDestinations.Destination to =
                publicOnly.check("https://hooks.shop.test/events?shop=1");

        assertThat(to.address()).isEqualTo(ip("203.0.113.10"));
        assertThat(to.tls()).isTrue();
        assertThat(to.host()).isEqualTo("hooks.shop.test");
        assertThat(to.port()).isEqualTo(443);
        assertThat(to.hostHeader()).isEqualTo("hooks.shop.test");
        assertThat(to.target()).isEqualTo("/events?shop=1");
        assertThat(to.namesAnAddress()).isFalse();
    }

    @Test
    void shouldKeepThePortAndEncodeThePathOfTheUrl() throws Exception {
        answer("hooks.shop.test", "203.0.113.10");

        WebhookDestinations.Destination to =
                publicOnly.check("https://hooks.shop.test:8443/bücher?q=ü");

        assertThat(to.port()).isEqualTo(8443);
        assertThat(to.hostHeader()).isEqualTo("hooks.shop.test:8443");
        assertThat(to.target()).isEqualTo("/b%C3%BCcher?q=%C3%BC");
    }

    @Test
    void shouldRefusePlainHttp() {
        answer("hooks.shop.test", "203.0.113.10");

        assertThat(refusal(publicOnly, "http://hooks.shop.test/events"))
                .isEqualTo("must be an https URL");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "ftp://hooks.shop.test/, must be an https URL",
        "/events, must be an https URL",
        "https:///events, must name a host",
        "https://user:secret@hooks.shop.test/, must not carry credentials",
        "https://hooks.shop.test:0/, has an invalid port 0",
        "https://hooks.shop.test:70000/, has an invalid port 70000",
        "'https://hooks shop/', 'is not a URL: Illegal character in authority'"
    })
    void shouldRefuseAUrlThatIsNotAnHttpsUrlWithAHost(String url, String reason) {
        answer("hooks.shop.test", "203.0.113.10");

        assertThat(refusal(publicOnly, url)).isEqualTo(reason);
    }

    @Test
    void shouldRefuseTheCloudMetadataAddress() {
        assertThat(refusal(publicOnly, "https://169.254.169.254/latest/meta-data/"))
                .isEqualTo(
                        "169.254.169.254 is the cloud metadata address: webhooks are sent to"
                                + " public addresses only");
    }

    @Test
    void shouldRefuseANameThatResolvesToTheCloudMetadataAddress() {
        answer("metadata.shop.test", "169.254.169.254");

        assertThat(refusal(publicOnly, "https://metadata.shop.test/"))
                .isEqualTo(
                        "metadata.shop.test resolves to 169.254.169.254, the cloud metadata"
                                + " address: webhooks are sent to public addresses only");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"https://[fd00:ec2::254]/", "https://100.100.100.200/"})
    void shouldRefuseTheMetadataAddressesOfOtherClouds(String url) {
        assertThat(refusal(publicOnly, url)).contains("the cloud metadata address");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"127.0.0.1", "127.255.255.254", "[::1]"})
    void shouldRefuseLoopbackAddresses(String host) {
        assertThat(refusal(publicOnly, "https://" + host + "/")).contains("is a loopback address");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "10.0.0.0",
                "10.255.255.255",
                "172.16.0.0",
                "172.31.255.255",
                "192.168.0.0",
                "192.168.255.255",
                "[fc00::1]",
                "[fdff:ffff::1]",
                "[fec0::1]"
            })
    void shouldRefusePrivateAddresses(String host) {
        assertThat(refusal(publicOnly, "https://" + host + "/")).contains("is a private address");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"169.254.0.1", "169.254.255.255", "[fe80::1]", "[febf:ffff::1]"})
    void shouldRefuseLinkLocalAddresses(String host) {
        assertThat(refusal(publicOnly, "https://" + host + "/"))
                .contains("is a link-local address");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"0.0.0.0", "0.1.2.3", "[::]"})
    void shouldRefuseUnspecifiedAddresses(String host) {
        assertThat(refusal(publicOnly, "https://" + host + "/"))
                .contains("is an unspecified address");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"224.0.0.1", "239.255.255.255", "[ff02::1]", "[ff0e::1]"})
    void shouldRefuseMulticastAddresses(String host) {
        assertThat(refusal(publicOnly, "https://" + host + "/")).contains("is a multicast address");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"100.64.0.0", "100.127.255.255"})
    void shouldRefuseCarrierGradeNatAddresses(String host) {
        assertThat(refusal(publicOnly, "https://" + host + "/"))
                .contains("is a carrier-grade NAT address");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"240.0.0.1", "255.255.255.255"})
    void shouldRefuseReservedAndBroadcastAddresses(String host) {
        assertThat(refusal(publicOnly, "https://" + host + "/")).contains("is a reserved address");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "9.255.255.255",
                "11.0.0.0",
                "172.15.255.255",
                "172.32.0.0",
                "192.167.255.255",
                "192.169.0.0",
                "100.63.255.255",
                "100.128.0.0",
                "169.253.255.255",
                "169.255.0.0",
                "223.255.255.255",
                "[2001:db8::1]",
                "[2606:4700::1111]",
                "[::ffff:203.0.113.10]"
            })
    void shouldAcceptPublicAddressesJustOutsideTheRefusedRanges(String host) throws Exception {
        InetAddress checked = publicOnly.check("https://" + host + "/").address();

        assertThat(WebhookDestinations.kindOf(checked)).isEqualTo(Kind.PUBLIC);
    }

    @Test
    void shouldJudgeAnIpv4MappedIpv6LiteralAsItsIpv4Address() {
        assertThat(refusal(publicOnly, "https://[::ffff:169.254.169.254]/"))
                .startsWith("169.254.169.254 is the cloud metadata address");
        assertThat(refusal(publicOnly, "https://[::ffff:127.0.0.1]/"))
                .startsWith("127.0.0.1 is a loopback address");
    }

    @Test
    void shouldJudgeAnIpv6AnswerThatCarriesAnIpv4AddressAsThatAddress() {
        answers.put("mapped.shop.test", List.of(ipv6(0, 0, 0, 0, 0, 0xffff, 0xa9fe, 0xa9fe)));
        answers.put("nat64.shop.test", List.of(ipv6(0x64, 0xff9b, 0, 0, 0, 0, 0x7f00, 1)));
        answers.put("compatible.shop.test", List.of(ipv6(0, 0, 0, 0, 0, 0, 0x0a00, 5)));
        answers.put(
                "mapped-public.shop.test", List.of(ipv6(0, 0, 0, 0, 0, 0xffff, 0xcb00, 0x710a)));

        assertThat(refusal(publicOnly, "https://mapped.shop.test/"))
                .isEqualTo(
                        "mapped.shop.test resolves to ::ffff:a9fe:a9fe (IPv4 169.254.169.254),"
                                + " the cloud metadata address: webhooks are sent to public"
                                + " addresses only");
        assertThat(refusal(publicOnly, "https://nat64.shop.test/"))
                .contains("(IPv4 127.0.0.1), a loopback address");
        assertThat(refusal(publicOnly, "https://compatible.shop.test/"))
                .contains("(IPv4 10.0.0.5), a private address");
        assertThat(WebhookDestinations.kindOf(answers.get("mapped-public.shop.test").get(0)))
                .isEqualTo(Kind.PUBLIC);
    }

    @Test
    void shouldRefuseANameWithOneNonPublicAddressAmongPublicOnes() {
        answer("hooks.shop.test", "203.0.113.10", "2001:db8::10", "10.0.0.5");

        assertThat(refusal(publicOnly, "https://hooks.shop.test/"))
                .isEqualTo(
                        "hooks.shop.test resolves to 10.0.0.5, a private address: webhooks are"
                                + " sent to public addresses only");
    }

    @Test
    void shouldNameAnIpv6AddressInItsShortForm() {
        answer("hooks.shop.test", "fe80:0:0:0:0:0:0:1");

        assertThat(refusal(publicOnly, "https://hooks.shop.test/"))
                .startsWith("hooks.shop.test resolves to fe80::1, a link-local address");
    }

    @Test
    void shouldRefuseANameThatCannotBeResolved() {
        assertThat(refusal(publicOnly, "https://nowhere.shop.test/"))
                .isEqualTo("nowhere.shop.test cannot be resolved");
    }

    @Test
    void shouldResolveAgainOnEveryCheckSoANameThatRebindsIsRefused() throws Exception {
        answer("hooks.shop.test", "203.0.113.10");
        assertThat(publicOnly.check("https://hooks.shop.test/").address())
                .isEqualTo(ip("203.0.113.10"));

        answer("hooks.shop.test", "127.0.0.1");

        assertThat(refusal(publicOnly, "https://hooks.shop.test/"))
                .isEqualTo(
                        "hooks.shop.test resolves to 127.0.0.1, a loopback address: webhooks are"
                                + " sent to public addresses only");
    }

    @Test
    void shouldNeverLookUpALiteralAddress() throws Exception {
        WebhookDestinations noLookups =
                new WebhookDestinations(
                        false,
                        host -> {
                            throw new AssertionError("looked up " + host);
                        });

        assertThat(noLookups.check("https://203.0.113.10/").namesAnAddress()).isTrue();
        assertThat(noLookups.check("https://[2001:db8::1]:8443/").hostHeader())
                .isEqualTo("[2001:db8::1]:8443");
        assertThat(refusal(noLookups, "https://10.0.0.1/")).contains("a private address");
    }

    @Test
    void shouldAcceptPlainHttpAndLoopbackPrivateAndCarrierGradeNatAddressesWhenPrivateIsAllowed()
            throws Exception {
        answer("localhost", "127.0.0.1", "::1");
        answer("hooks.internal.test", "10.1.2.3", "fd12::3", "100.64.0.1");

        assertThat(privateAllowed.check("http://localhost:9000/hooks").address())
                .isEqualTo(ip("127.0.0.1"));
        assertThat(privateAllowed.check("http://localhost:9000/hooks").tls()).isFalse();
        assertThat(privateAllowed.check("https://hooks.internal.test/").address())
                .isEqualTo(ip("10.1.2.3"));
        assertThat(privateAllowed.check("https://192.168.1.10/").port()).isEqualTo(443);
        assertThat(privateAllowed.check("http://[::1]:9000/").hostHeader()).isEqualTo("[::1]:9000");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "169.254.169.254, the cloud metadata address",
        "100.100.100.200, the cloud metadata address",
        "[fd00:ec2::254], the cloud metadata address",
        "169.254.1.1, a link-local address",
        "[fe80::1], a link-local address",
        "0.0.0.0, an unspecified address",
        "[::], an unspecified address",
        "224.0.0.251, a multicast address",
        "255.255.255.255, a reserved address"
    })
    void shouldStillRefuseLinkLocalMetadataUnspecifiedMulticastAndReservedWhenPrivateIsAllowed(
            String host, String kind) {
        assertThat(refusal(privateAllowed, "http://" + host + "/"))
                .endsWith(kind + ": webhooks are never sent there");
    }

    @Test
    void shouldStillRefuseOtherSchemesWhenPrivateIsAllowed() {
        assertThat(refusal(privateAllowed, "ftp://127.0.0.1/"))
                .isEqualTo("must be an http or https URL");
    }

    @Test
    void shouldRefuseAnIpv4LiteralOutOfRange() {
        assertThatThrownBy(() -> publicOnly.check("https://300.1.1.1/"))
                .isInstanceOf(WebhookDestinations.Refused.class);
    }
}
