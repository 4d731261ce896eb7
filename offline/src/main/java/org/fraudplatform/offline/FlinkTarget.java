package org.fraudplatform.offline;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Where an offline job runs: the Flink MiniCluster inside this process, or a session cluster
 * reached through its JobManager's REST endpoint, to which the job jar is shipped.
 *
 * <p>The job jar ({@code offline-<version>-job.jar}, built by this module, installed beside the
 * command as {@code flink/offline-job.jar}) holds the jobs, the platform's code they call and their
 * libraries, the Kafka connector among them; the cluster provides Flink itself. A cluster's task
 * managers read an input file by the same path as this process, and write their part files under
 * {@code staging} when it is given ({@link StagedParts}), else in the output folder: on several
 * hosts, shared storage either way.
 *
 * @param master null for the local MiniCluster, else {@code host:port} of the JobManager's REST
 *     endpoint
 * @param jobJar the jar shipped to the cluster; null when local
 * @param staging a file system URI (with its scheme) under which the tasks write their part files,
 *     copied back by this process after the job; null for the output folder
 */
public record FlinkTarget(String master, Path jobJar, URI staging) {

    public FlinkTarget {
        if (staging != null && (!staging.isAbsolute() || staging.getPath() == null)) {
            throw new IllegalArgumentException(
                    "--staging-uri must be a URI with its scheme and a path (file:///shared/parts,"
                            + " s3://bucket/parts), was "
                            + staging);
        }
        if ((master == null) != (jobJar == null)) {
            throw new IllegalArgumentException("a cluster needs the job jar, and only a cluster");
        }
        if (master != null) {
            URI uri = URI.create("http://" + master);
            if (uri.getHost() == null || uri.getPort() < 0 || !uri.getPath().isEmpty()) {
                throw new IllegalArgumentException(
                        "--flink-master must be host:port of the JobManager's REST endpoint, was "
                                + master);
            }
            if (!Files.isRegularFile(jobJar)) {
                throw new IllegalArgumentException(
                        "no job jar at "
                                + jobJar
                                + ": build it with ./mvnw -Dquick package, or name one with"
                                + " --job-jar");
            }
        }
    }

    /** The MiniCluster of this process. */
    public static FlinkTarget local() {
        return new FlinkTarget(null, null, null);
    }

    /** The session cluster whose JobManager serves REST at {@code master}, given the job jar. */
    public static FlinkTarget cluster(String master, Path jobJar) {
        Objects.requireNonNull(master, "master");
        Objects.requireNonNull(jobJar, "jobJar");
        return new FlinkTarget(master, jobJar, null);
    }

    /** The same target, its tasks writing their part files under {@code staging}. */
    public FlinkTarget withStaging(URI staging) {
        return new FlinkTarget(master, jobJar, staging);
    }

    public boolean isLocal() {
        return master == null;
    }

    /**
     * An environment on this target: locally with {@code localConfiguration} and {@code
     * parallelism} slots, on the cluster with the job jar shipped.
     */
    public StreamExecutionEnvironment environment(
            int parallelism, Configuration localConfiguration) {
        if (isLocal()) {
            return StreamExecutionEnvironment.createLocalEnvironment(
                    parallelism, localConfiguration);
        }
        URI uri = URI.create("http://" + master);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createRemoteEnvironment(
                        uri.getHost(),
                        uri.getPort(),
                        new Configuration(),
                        jobJar.toAbsolutePath().toString());
        env.setParallelism(parallelism);
        return env;
    }

    /** Where the job runs, for progress lines. */
    public String describe() {
        return isLocal() ? "the local MiniCluster" : "the Flink cluster at " + master;
    }
}
