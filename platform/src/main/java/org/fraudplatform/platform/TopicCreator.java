package org.fraudplatform.platform;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.fraudplatform.schemas.topics.Topic;

/**
 * Creates the catalogue's topics that do not exist yet, with their partition counts and configs.
 * Existing topics are left as they are (a partition count is never changed behind a running
 * deployment's back); the replication factor is the broker's default.
 */
final class TopicCreator {

    private TopicCreator() {}

    /** Returns the names of the topics it created. */
    static List<String> ensure(Admin admin, List<Topic<?, ?>> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        List<NewTopic> missing = new ArrayList<>();
        for (Topic<?, ?> topic : topics) {
            if (!existing.contains(topic.name())) {
                missing.add(
                        new NewTopic(
                                        topic.name(),
                                        java.util.Optional.of(topic.partitions()),
                                        java.util.Optional.empty())
                                .configs(topic.configs()));
            }
        }
        List<String> created = new ArrayList<>();
        for (var entry : admin.createTopics(missing).values().entrySet()) {
            try {
                entry.getValue().get(30, TimeUnit.SECONDS);
                created.add(entry.getKey());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        return created;
    }

    /** The partition count of a topic as the cluster has it. */
    static int partitions(Admin admin, Topic<?, ?> topic)
            throws InterruptedException, ExecutionException, TimeoutException {
        return describe(admin, List.of(topic.name())).get(topic.name()).partitions().size();
    }

    /**
     * Refuses to start when topics that one task reads together have different partition counts
     * (for example a cluster where {@code risk.feature-parts} was created by hand): the risk join
     * would wait for features on a partition nobody writes to.
     */
    /** Describes topics, waiting up to 30 s for ones just created to be known everywhere. */
    private static Map<String, org.apache.kafka.clients.admin.TopicDescription> describe(
            Admin admin, List<String> names)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause()
                                instanceof
                                org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    static void checkCoPartitioned(Admin admin, List<List<Topic<?, ?>>> groups)
            throws InterruptedException, ExecutionException, TimeoutException {
        for (List<Topic<?, ?>> group : groups) {
            List<String> names = group.stream().map(Topic::name).toList();
            var descriptions = describe(admin, names);
            Set<Integer> counts = new java.util.TreeSet<>();
            StringBuilder found = new StringBuilder();
            for (String name : names) {
                int n = descriptions.get(name).partitions().size();
                counts.add(n);
                found.append(found.isEmpty() ? "" : ", ").append(name).append(" has ").append(n);
            }
            if (counts.size() > 1) {
                throw new IllegalStateException(
                        "topics read together must have the same partition count: "
                                + found
                                + "; recreate them alike or add partitions to match");
            }
        }
    }
}
