package org.fraudplatform.platform.cli;

import java.net.URISyntaxException;
import java.nio.file.Path;
import org.fraudplatform.offline.FlinkTarget;
import picocli.CommandLine.Option;

/**
 * Where an offline job (backfill, back-test) runs: the local MiniCluster, or a Flink session
 * cluster given by its JobManager's REST address, to which the job jar is shipped.
 */
final class FlinkOptions {

    /** The job jar's place beside the command's own jar ({@code platform/target/} in a build). */
    static final String JOB_JAR = "flink/offline-job.jar";

    @Option(
            names = "--flink-master",
            paramLabel = "HOST:PORT",
            description =
                    "A Flink session cluster's JobManager REST endpoint; the job jar is shipped to"
                            + " it. Default: run on a local MiniCluster. The cluster's task"
                            + " managers read the input and write the output by the same paths as"
                            + " this command: on several hosts, shared storage.")
    String master;

    @Option(
            names = "--job-jar",
            paramLabel = "FILE",
            description =
                    "The job jar shipped with --flink-master (the jobs, the platform's code and"
                            + " libraries they need, the Kafka connector; Flink itself comes from"
                            + " the cluster). Default: "
                            + JOB_JAR
                            + " beside the command's jar.")
    Path jobJar;

    /** The target these options name. */
    FlinkTarget target() {
        if (master == null) {
            if (jobJar != null) {
                throw new IllegalArgumentException("--job-jar goes with --flink-master");
            }
            return FlinkTarget.local();
        }
        return FlinkTarget.cluster(master, jobJar != null ? jobJar : defaultJobJar());
    }

    /** {@value #JOB_JAR} beside the jar (or classes folder) this command runs from. */
    static Path defaultJobJar() {
        try {
            Path code =
                    Path.of(
                            FlinkOptions.class
                                    .getProtectionDomain()
                                    .getCodeSource()
                                    .getLocation()
                                    .toURI());
            return code.toAbsolutePath().getParent().resolve(JOB_JAR);
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of(JOB_JAR);
        }
    }
}
