package org.fraudplatform.workers.webhooks;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where webhooks may be sent: the one policy that both the registration of an endpoint ({@code POST
 * /v1/webhook_endpoints}) and every delivery attempt ({@link WebhookSender}) apply, so that a
 * merchant cannot make the platform call its own network (server-side request forgery).
 *
 * <p>A destination is an absolute {@code https} URL with a host, a valid port and no credentials,
 * whose host has only public addresses. A name is resolved through the {@link HostResolver}, and if
 * any of its addresses is not public the URL is refused (one internal address among public ones is
 * enough to refuse it); a literal address in the URL is judged the same way without a lookup. Not
 * public ({@link Kind}): loopback (127/8, ::1), private (10/8, 172.16/12, 192.168/16, fc00::/7, the
 * deprecated site-local fec0::/10), carrier-grade NAT (100.64/10), link-local (169.254/16,
 * fe80::/10), the cloud metadata services (169.254.169.254, AWS's fd00:ec2::254, Alibaba's
 * 100.100.100.200), unspecified (0/8, ::), multicast (224/4, ff00::/8) and reserved (240/4, with
 * the broadcast address); an IPv6 address that carries an IPv4 one (IPv4-mapped ::ffff:0:0/96,
 * IPv4-compatible ::/96, NAT64 64:ff9b::/96) is judged as that IPv4 address.
 *
 * <p>With private destinations allowed ({@code --webhooks-allow-private}, for local development and
 * tests) plain {@code http} is accepted, and so are loopback, private and carrier-grade NAT
 * addresses; link-local, metadata, unspecified, multicast and reserved addresses never are.
 *
 * <p>{@link #check} answers the {@link Destination} with the address it checked; the sender
 * connects to that address and no other ({@link PinnedPost}), so a name that answers differently a
 * moment later (DNS rebinding) cannot redirect the request. Thread-safe.
 */
public final class WebhookDestinations {

    /** What an address is, as far as webhooks are concerned; the first matching range decides. */
    public enum Kind {
        PUBLIC("a public address"),
        LOOPBACK("a loopback address"),
        PRIVATE("a private address"),
        CARRIER_GRADE_NAT("a carrier-grade NAT address"),
        LINK_LOCAL("a link-local address"),
        METADATA("the cloud metadata address"),
        UNSPECIFIED("an unspecified address"),
        MULTICAST("a multicast address"),
        RESERVED("a reserved address");

        private final String description;

        Kind(String description) {
            this.description = description;
        }

        /** Whether webhooks may go to an address of this kind. */
        public boolean allowed(boolean privateAllowed) {
            return switch (this) {
                case PUBLIC -> true;
                case LOOPBACK, PRIVATE, CARRIER_GRADE_NAT -> privateAllowed;
                default -> false;
            };
        }

        @Override
        public String toString() {
            return description;
        }
    }

    /**
     * A URL that passed the check, with the address it was checked for.
     *
     * @param url the endpoint's URL
     * @param tls whether it is {@code https}
     * @param host the URL's host, without the brackets of an IPv6 literal: the {@code Host} header,
     *     the TLS server name and the name the certificate must carry
     * @param port the URL's port, or the scheme's
     * @param address the one address to connect to: checked, and the first of the answer
     */
    public record Destination(URI url, boolean tls, String host, int port, InetAddress address) {

        /** The request target: the URL's path (or {@code /}) and query, percent-encoded. */
        public String target() {
            URI ascii = URI.create(url.toASCIIString());
            String path =
                    ascii.getRawPath() == null || ascii.getRawPath().isEmpty()
                            ? "/"
                            : ascii.getRawPath();
            return ascii.getRawQuery() == null ? path : path + "?" + ascii.getRawQuery();
        }

        /** Whether the URL names an address, not a host name (then no TLS server name is sent). */
        public boolean namesAnAddress() {
            return host.contains(":") || IPV4_LITERAL.matcher(host).matches();
        }

        /** The {@code Host} header: the host, and the port unless it is the scheme's default. */
        public String hostHeader() {
            String h = host.contains(":") ? "[" + host + "]" : host;
            return port == (tls ? 443 : 80) ? h : h + ":" + port;
        }
    }

    /** A URL webhooks may not be sent to; the message says why, for the merchant to read. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    private static final Pattern IPV4_LITERAL = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

    /** The ranges that are not public; the first that holds an address names its kind. */
    private static final List<Range> RANGES =
            List.of(
                    // the metadata services first: they sit inside ranges private mode allows
                    Range.of("169.254.169.254/32", Kind.METADATA),
                    Range.of("100.100.100.200/32", Kind.METADATA),
                    Range.of("fd00:ec2::254/128", Kind.METADATA),
                    Range.of("0.0.0.0/8", Kind.UNSPECIFIED),
                    Range.of("127.0.0.0/8", Kind.LOOPBACK),
                    Range.of("10.0.0.0/8", Kind.PRIVATE),
                    Range.of("172.16.0.0/12", Kind.PRIVATE),
                    Range.of("192.168.0.0/16", Kind.PRIVATE),
                    Range.of("100.64.0.0/10", Kind.CARRIER_GRADE_NAT),
                    Range.of("169.254.0.0/16", Kind.LINK_LOCAL),
                    Range.of("224.0.0.0/4", Kind.MULTICAST),
                    Range.of("240.0.0.0/4", Kind.RESERVED),
                    Range.of("::/128", Kind.UNSPECIFIED),
                    Range.of("::1/128", Kind.LOOPBACK),
                    Range.of("fc00::/7", Kind.PRIVATE),
                    Range.of("fec0::/10", Kind.PRIVATE),
                    Range.of("fe80::/10", Kind.LINK_LOCAL),
                    Range.of("ff00::/8", Kind.MULTICAST));

    private final boolean privateAllowed;
    private final HostResolver resolver;

    /**
     * @param privateAllowed also plain {@code http} and loopback, private and carrier-grade NAT
     *     addresses (local development and tests only)
     * @param resolver where host names are looked up ({@link HostResolver#SYSTEM} in production)
     */
    public WebhookDestinations(boolean privateAllowed, HostResolver resolver) {
        this.privateAllowed = privateAllowed;
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** Whether private destinations and plain {@code http} are allowed. */
    public boolean privateAllowed() {
        return privateAllowed;
    }

    /**
     * Checks a URL now (resolving its host) and answers where to connect.
     *
     * @throws Refused when the URL is malformed, not {@code https} (or {@code http} with private
     *     destinations allowed), its host cannot be resolved, or any of its addresses may not be
     *     reached
     */
    public Destination check(String url) throws Refused {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new Refused("is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(privateAllowed && scheme.equals("http"))) {
            throw new Refused(
                    privateAllowed ? "must be an http or https URL" : "must be an https URL");
        }
        if (uri.getHost() == null) {
            throw new Refused("must name a host");
        }
        if (uri.getUserInfo() != null) {
            throw new Refused("must not carry credentials");
        }
        boolean tls = scheme.equals("https");
        int port = uri.getPort() == -1 ? (tls ? 443 : 80) : uri.getPort();
        if (port < 1 || port > 65_535) {
            throw new Refused("has an invalid port " + port);
        }
        String host = uri.getHost();
        boolean literal = host.startsWith("[") || IPV4_LITERAL.matcher(host).matches();
        InetAddress[] addresses = literal ? literal(host) : resolve(host);
        for (InetAddress a : addresses) {
            Kind kind = kindOf(a);
            if (!kind.allowed(privateAllowed)) {
                throw new Refused(
                        (literal ? text(a) + " is " : host + " resolves to " + text(a) + ", ")
                                + kind
                                + (privateAllowed
                                        ? ": webhooks are never sent there"
                                        : ": webhooks are sent to public addresses only"));
            }
        }
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return new Destination(uri, tls, bare, port, addresses[0]);
    }

    /** What an address is; an IPv6 address carrying an IPv4 one is judged as that one. */
    public static Kind kindOf(InetAddress address) {
        byte[] a = address.getAddress();
        for (Range r : RANGES) {
            if (r.contains(a)) {
                return r.kind();
            }
        }
        byte[] embedded = embeddedIpv4(a);
        return embedded == null ? Kind.PUBLIC : kindOf(ipv4(embedded));
    }

    /** A literal address (IPv6 in brackets, or a dotted quad): parsed, never looked up. */
    private static InetAddress[] literal(String host) throws Refused {
        try {
            if (host.startsWith("[")) {
                return new InetAddress[] {InetAddress.getByName(host)};
            }
            String[] parts = host.split("\\.");
            byte[] four = new byte[4];
            for (int i = 0; i < 4; i++) {
                int part = Integer.parseInt(parts[i]);
                if (part > 255) {
                    throw new Refused(host + " is not a valid address");
                }
                four[i] = (byte) part;
            }
            return new InetAddress[] {InetAddress.getByAddress(four)};
        } catch (UnknownHostException e) {
            throw new Refused(host + " is not a valid address");
        }
    }

    private InetAddress[] resolve(String host) throws Refused {
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new Refused(host + " cannot be resolved");
        }
        if (addresses == null || addresses.length == 0) {
            throw new Refused(host + " cannot be resolved");
        }
        return addresses;
    }

    /** The IPv4 address inside ::ffff:0:0/96, ::/96 or 64:ff9b::/96, or null. */
    private static byte[] embeddedIpv4(byte[] a) {
        if (a.length != 16) {
            return null;
        }
        boolean mapped = zeros(a, 0, 10) && a[10] == (byte) 0xff && a[11] == (byte) 0xff;
        boolean compatible = zeros(a, 0, 12);
        boolean nat64 =
                a[0] == 0
                        && a[1] == 0x64
                        && a[2] == (byte) 0xff
                        && a[3] == (byte) 0x9b
                        && zeros(a, 4, 12);
        return mapped || compatible || nat64 ? Arrays.copyOfRange(a, 12, 16) : null;
    }

    private static boolean zeros(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress ipv4(byte[] four) {
        try {
            return InetAddress.getByAddress(four);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }

    /** An address as a merchant would write it: IPv6 compressed, and the IPv4 one it carries. */
    static String text(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int runStart = -1;
        int runLength = 1; // only runs of two groups or more become "::"
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > runLength) {
                runStart = i;
                runLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == runStart) {
                s.append("::");
                i += runLength - 1;
            } else {
                if (i > 0 && i != runStart + runLength) {
                    s.append(':');
                }
                s.append(Integer.toHexString(groups[i]));
            }
        }
        byte[] embedded = embeddedIpv4(b);
        if (embedded != null && !zeros(b, 0, 15)) { // not :: or ::1
            s.append(" (IPv4 ").append(ipv4(embedded).getHostAddress()).append(')');
        }
        return s.toString();
    }

    /** An address range in CIDR notation. */
    private record Range(byte[] network, int bits, Kind kind) {

        static Range of(String cidr, Kind kind) {
            int slash = cidr.indexOf('/');
            try {
                // literals only: parsed, never looked up
                byte[] network = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
                return new Range(network, Integer.parseInt(cidr.substring(slash + 1)), kind);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(cidr, e);
            }
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < bits; bit += 8) {
                int mask = bits - bit >= 8 ? 0xff : (0xff << (8 - (bits - bit))) & 0xff;
                if (((address[bit / 8] ^ network[bit / 8]) & mask) != 0) {
                    return false;
                }
            }
            return true;
        }
    }
}
