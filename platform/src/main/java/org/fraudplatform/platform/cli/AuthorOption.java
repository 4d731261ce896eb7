package org.fraudplatform.platform.cli;

import picocli.CommandLine.Option;

/** Who makes a change, as the audit trail records it. */
final class AuthorOption {

    @Option(
            names = "--author",
            description = "Who makes the change, for the audit trail. Default: $USER.")
    String author;

    /** {@code --author}, else {@code $USER}, else {@code unknown}. */
    String who() {
        if (author != null && !author.isBlank()) {
            return author;
        }
        String user = System.getenv("USER");
        return user == null || user.isBlank() ? "unknown" : user;
    }
}
