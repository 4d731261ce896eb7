package org.fraudplatform.workers.webhooks;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Turns a webhook endpoint's host name into its addresses, for {@link WebhookDestinations}: the
 * registration check and every delivery attempt ask this, and nothing else, where a name points.
 * {@link #SYSTEM} asks the JVM ({@link InetAddress#getAllByName}, with its cache); tests give their
 * own answers, so refusals and DNS rebinding are shown without a lookup leaving the machine.
 */
@FunctionalInterface
public interface HostResolver {

    /** The JVM's resolver: the operating system's, behind the JVM's address cache. */
    HostResolver SYSTEM = InetAddress::getAllByName;

    /**
     * Every address of {@code host} (a name, never a literal address); at least one.
     *
     * @throws UnknownHostException when the name has no address
     */
    InetAddress[] resolve(String host) throws UnknownHostException;
}
