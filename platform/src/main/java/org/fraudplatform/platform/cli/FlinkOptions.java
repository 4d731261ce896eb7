package org.fraudplatform.platform.cli;

import java.net.URI;
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
                            + " managers read an input file by the same path as this command, and"
                            + " write their part files in the output folder or under"
                            + " --staging-uri: on several hosts, shared storage.")
    String master;

    @Option(
            names = "--staging-uri",
            paramLabel = "URI",
            description =
                    "A file system URI under which the job's tasks write their part files"
                            + " (file:///shared/parts; s3://… or hdfs://… with that file system's"
                            + " Flink plugin in the cluster and in this command); this command"
                            + " copies them into the output folder after the job and deletes them."
                            + " Default: in the output folder.")
    URI staging;

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
            return FlinkTarget.local().withStaging(staging);
        }
        return FlinkTarget.cluster(master, jobJar != null ? jobJar : defaultJobJar())
                .withStaging(staging);
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
