package org.fraudplatform.runtime.consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Where a {@link ConsumerLoop} puts a record that failed on its own data as many times as the loop
 * allows, so that one bad record does not stop its partition.
 */
@FunctionalInterface
public interface DeadLetterSink<K, V> {

    /**
     * Keeps the record with the reason, durably, before the loop moves past it.
     *
     * @param reason the handler's last failure on this record alone
     * @throws RuntimeException when the record could not be kept: the loop then reads the batch
     *     again instead of moving on, so nothing is lost
     */
    void send(ConsumerRecord<K, V> record, Throwable reason);
}
