package org.fraudplatform.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fraudplatform.api.http.ApiServer;
import org.fraudplatform.risk.ListEntries;
import org.fraudplatform.schemas.ListEntry;
import org.fraudplatform.schemas.topics.Topics;

/**
 * The operators' endpoints of the API ({@code /v1/lists}), behind an operator key: created on first
 * start in {@code <data-dir>/operator-api-key} (owner-readable only), compared by hash in constant
 * time. Changes go through {@link ListEntries}, so they are audited like the CLI's.
 */
final class OperatorApi implements ApiServer.Operations, AutoCloseable {

    static final String KEY_FILE = "operator-api-key";
    private static final String OPERATOR = "operator";

    private final byte[] keyHash;
    private final ListEntries lists;

    private OperatorApi(byte[] keyHash, ListEntries lists) {
        this.keyHash = keyHash;
        this.lists = lists;
    }

    static OperatorApi start(Path dataDir, String bootstrapServers, Topics topics)
            throws IOException {
        Path file = dataDir.resolve(KEY_FILE);
        if (!Files.exists(file)) {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String key = "op_" + java.util.HexFormat.of().formatHex(random);
            Files.createFile(
                    file,
                    PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, key + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        }
        String key = Files.readString(file).trim();
        return new OperatorApi(sha256(key), new ListEntries(bootstrapServers, topics));
    }

    @Override
    public Optional<String> operatorFor(String key) {
        return key != null && MessageDigest.isEqual(sha256(key), keyHash)
                ? Optional.of(OPERATOR)
                : Optional.empty();
    }

    @Override
    public List<Map<String, Object>> lists() {
        return lists.show().stream().map(OperatorApi::json).toList();
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

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        lists.close();
    }
}
