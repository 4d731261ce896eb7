package org.fraudplatform.platform;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fraudplatform.api.http.ApiServer;
import org.fraudplatform.risk.ListEntries;
import org.fraudplatform.runtime.KafkaConnection;
import org.fraudplatform.schemas.ListEntry;
import org.fraudplatform.schemas.topics.Topics;

/**
 * The lists behind the operators' endpoints of the API ({@code /v1/lists}) and the console. The API
 * authenticates the person and checks their role; changes go through {@link ListEntries}, so they
 * are audited like the CLI's, under the person's name.
 */
final class ListsOperations implements ApiServer.Operations, AutoCloseable {

    private final ListEntries lists;

    ListsOperations(KafkaConnection kafka, Topics topics) {
        this.lists = new ListEntries(kafka, topics);
    }

    @Override
    public List<Map<String, Object>> lists() {
        return lists.show().stream().map(ListsOperations::json).toList();
    }

    @Override
    public Map<String, Object> addToList(
            String list, String value, String note, Duration expiresIn, String operator) {
        try {
            return json(lists.add(list, value, note, operator, expiresIn));
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("could not write the list entry: " + e.getMessage(), e);
        }
    }

    @Override
    public void removeFromList(String list, String value, String operator) {
        try {
            lists.remove(list, value, operator);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(
                    "could not remove the list entry: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> json(ListEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("list", e.getList());
        m.put("value", e.getValue());
        m.put("note", e.getNote());
        m.put("author", e.getAuthor());
        m.put("added_at", e.getAddedAt().toString());
        m.put("expires_at", e.getExpiresAt() == null ? null : e.getExpiresAt().toString());
        return m;
    }

    @Override
    public void close() {
        lists.close();
    }
}
