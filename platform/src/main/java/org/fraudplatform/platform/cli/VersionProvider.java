package org.fraudplatform.platform.cli;

import picocli.CommandLine;

/** Version from the jar manifest, or "development" when run from classes. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = FraudCommand.class.getPackage().getImplementationVersion();
        return new String[] {"fraud " + (version == null ? "development" : version)};
    }
}
