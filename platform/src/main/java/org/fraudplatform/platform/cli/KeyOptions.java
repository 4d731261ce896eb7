package org.fraudplatform.platform.cli;

import java.time.Duration;
import org.fraudplatform.api.keys.ApiKeys;
import org.fraudplatform.api.keys.Scope;
import picocli.CommandLine.Option;

/** What a new API key may do: scopes, rate limit, lifetime, name. */
final class KeyOptions {

    @Option(
            names = "--scopes",
            paramLabel = "SCOPE[,SCOPE…]",
            description =
                    "What the key may do: payments:write (authorize, capture, void),"
                            + " payments:read, refunds:write, reviews:write (reviews, fraud"
                            + " reports), webhooks:write. Default: all of them.")
    String scopes;

    @Option(
            names = "--rate-limit",
            paramLabel = "N/s",
            defaultValue = ApiKeys.DEFAULT_RATE_LIMIT + "/s",
            description =
                    "Requests per second the key may make on each API instance (a token bucket,"
                            + " bursts up to one second's worth), or 'none'. Beyond it: 429 with"
                            + " Retry-After. Default: ${DEFAULT-VALUE}")
    String rateLimit;

    @Option(
            names = "--expires-in",
            converter = DurationConverter.class,
            description = "How long the key works, e.g. 90d; default: until revoked.")
    Duration expiresIn;

    @Option(
            names = "--name",
            converter = FreeTextConverter.class,
            description = "What the key is for, e.g. checkout.")
    String name;

    ApiKeys.NewKey newKey() {
        return new ApiKeys.NewKey(
                scopes == null || scopes.isBlank() ? Scope.all() : Scope.parse(scopes),
                parseRateLimit(rateLimit),
                expiresIn,
                name);
    }

    /** {@code 100/s} or {@code 100} → 100; {@code none} → null (no limit). */
    static Integer parseRateLimit(String value) {
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        if (v.equals("none") || v.equals("unlimited")) {
            return null;
        }
        if (v.endsWith("/s")) {
            v = v.substring(0, v.length() - 2);
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--rate-limit takes requests per second such as 100/s, or none: " + value);
        }
    }
}
