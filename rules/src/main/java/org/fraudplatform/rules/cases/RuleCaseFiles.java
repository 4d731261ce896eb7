package org.fraudplatform.rules.cases;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.fraudplatform.rules.facts.Features;
import org.fraudplatform.rules.facts.Transaction;
import org.fraudplatform.schemas.CardFunding;
import org.fraudplatform.schemas.Channel;
import org.fraudplatform.schemas.PaymentMethodType;
import org.fraudplatform.schemas.RiskAction;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the rule test cases of a ruleset folder: every {@code *.cases.yaml} beside the rule files,
 * each a list of cases:
 *
 * <pre>
 * - case: the sixth payment of a card in ten minutes is declined
 *   payment: {amount: 2500, cardCountry: DE, customerCountry: DE}
 *   features: {card_count_10m: 6}
 *   expect: {action: DECLINE, reasons: [VELOCITY_CARD_10M]}
 * </pre>
 *
 * <p>{@code payment} takes the fields of {@link Transaction} (amount in minor units of its
 * currency; defaults: a 25.00 EUR card payment at merchant-1), its reference amount converted with
 * the packaged rate table ({@code CurrencyRates.packaged()}), so that a case means the same
 * wherever it runs; {@code reasons} lists every reason code the decision must give, no more, no
 * less ({@code []} for none); an optional {@code shadow} lists, the same way, the codes of shadow
 * rules ({@code @shadow}) that must fire. Every problem is reported as {@code file:line: message},
 * all of them, not just the first.
 */
public final class RuleCaseFiles {

    /** Suffix of case files. */
    public static final String SUFFIX = ".cases.yaml";

    private static final Set<String> CASE_KEYS =
            Set.of("case", "payment", "features", "lists", "expect");
    private static final Set<String> EXPECT_KEYS = Set.of("action", "reasons", "shadow");

    private final List<RuleCase> cases = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    private RuleCaseFiles() {}

    /**
     * Reads every case file of a ruleset folder.
     *
     * @param knownFeatures feature names the platform computes; a case naming another is a problem
     *     (a misspelt feature would make the case test nothing). Empty to skip the check.
     */
    public static RuleCaseFiles read(Path rulesetFolder, Set<String> knownFeatures)
            throws IOException {
        RuleCaseFiles result = new RuleCaseFiles();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(rulesetFolder)) {
            files = walk.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        }
        for (Path file : files) {
            String name = rulesetFolder.relativize(file).toString().replace('\\', '/');
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                result.readFile(name, reader, knownFeatures);
            }
        }
        return result;
    }

    /** Reads one case file's text (tests). */
    public static RuleCaseFiles read(String fileName, Reader content, Set<String> knownFeatures) {
        RuleCaseFiles result = new RuleCaseFiles();
        result.readFile(fileName, content, knownFeatures);
        return result;
    }

    public List<RuleCase> cases() {
        return List.copyOf(cases);
    }

    /** Every problem found, as {@code file:line: message}. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    private void readFile(String file, Reader reader, Set<String> knownFeatures) {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(reader);
        } catch (YAMLException e) {
            problems.add(
                    file + ":" + yamlLine(e) + ": not valid YAML: " + firstLine(e.getMessage()));
            return;
        }
        if (root == null) {
            return;
        }
        if (!(root instanceof SequenceNode list)) {
            problem(file, root, "a case file is a list of cases (each starting with '- case:')");
            return;
        }
        Set<String> names = new HashSet<>();
        for (Node item : list.getValue()) {
            RuleCase c = readCase(file, item, knownFeatures);
            if (c != null && !names.add(c.name())) {
                problem(file, item, "another case in this file is named '" + c.name() + "'");
            } else if (c != null) {
                cases.add(c);
            }
        }
    }

    private RuleCase readCase(String file, Node node, Set<String> knownFeatures) {
        Map<String, Node> fields = mapping(file, node, "a case", CASE_KEYS);
        if (fields == null) {
            return null;
        }
        int before = problems.size();
        String name = scalar(file, fields.get("case"), node, "case");
        Transaction transaction = transaction(file, fields.get("payment"), node);
        Features features = features(file, fields.get("features"), knownFeatures);
        Map<String, Set<String>> lists = lists(file, fields.get("lists"));
        RiskAction action = null;
        Set<String> reasons = Set.of();
        Set<String> shadow = null;
        Node expectNode = fields.get("expect");
        if (expectNode == null) {
            problem(file, node, "the case has no 'expect'");
        } else {
            Map<String, Node> expect = mapping(file, expectNode, "'expect'", EXPECT_KEYS);
            if (expect != null) {
                String a = scalar(file, expect.get("action"), expectNode, "expect.action");
                if (a != null) {
                    try {
                        action = RiskAction.valueOf(a.toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        problem(
                                file,
                                expect.get("action"),
                                "expect.action must be APPROVE, REVIEW or DECLINE, was '"
                                        + a
                                        + "'");
                    }
                }
                reasons = codes(file, expect.get("reasons"), expectNode);
                if (expect.containsKey("shadow")) {
                    shadow = codes(file, expect.get("shadow"), expectNode);
                }
            }
        }
        if (problems.size() > before || name == null || transaction == null || action == null) {
            return null;
        }
        return new RuleCase(
                file, line(node), name, transaction, features, lists, action, reasons, shadow);
    }

    private Transaction transaction(String file, Node node, Node parent) {
        Transaction.Builder b =
                Transaction.builder()
                        .paymentId("case")
                        .merchantId("merchant-1")
                        .amount(25_00)
                        .currency("EUR")
                        .paymentMethod(PaymentMethodType.CARD);
        if (node == null) {
            return b.build();
        }
        Map<String, Node> fields = mapping(file, node, "'payment'", null);
        if (fields == null) {
            return null;
        }
        int before = problems.size();
        for (Map.Entry<String, Node> f : fields.entrySet()) {
            String value = scalar(file, f.getValue(), node, "payment." + f.getKey());
            if (value == null) {
                continue;
            }
            try {
                switch (f.getKey()) {
                    case "paymentId" -> b.paymentId(value);
                    case "merchantId" -> b.merchantId(value);
                    case "amount" -> b.amount(Long.parseLong(value));
                    case "currency" -> b.currency(value);
                    case "paymentMethod" ->
                            b.paymentMethod(
                                    PaymentMethodType.valueOf(value.toUpperCase(Locale.ROOT)));
                    case "cardBin" -> b.cardBin(value);
                    case "cardCountry" -> b.cardCountry(value);
                    case "cardFunding" ->
                            b.cardFunding(CardFunding.valueOf(value.toUpperCase(Locale.ROOT)));
                    case "customerId" -> b.customerId(value);
                    case "customerCountry" -> b.customerCountry(value);
                    case "ip" -> b.ip(value);
                    case "deviceId" -> b.deviceId(value);
                    case "channel" -> b.channel(Channel.valueOf(value.toUpperCase(Locale.ROOT)));
                    case "merchantCategoryCode" -> b.merchantCategoryCode(value);
                    case "instrumentToken" -> b.instrumentToken(value);
                    case "emailHash" -> b.emailHash(value);
                    default ->
                            problem(
                                    file,
                                    f.getValue(),
                                    "payment has no field '"
                                            + f.getKey()
                                            + "' (amount, currency, paymentMethod, cardBin,"
                                            + " cardCountry, cardFunding, customerId,"
                                            + " customerCountry, ip, deviceId, channel,"
                                            + " merchantCategoryCode, instrumentToken, emailHash,"
                                            + " merchantId, paymentId)");
                }
            } catch (IllegalArgumentException e) {
                problem(
                        file,
                        f.getValue(),
                        "payment." + f.getKey() + " cannot be '" + value + "': " + e.getMessage());
            }
        }
        if (problems.size() > before) {
            return null;
        }
        try {
            return b.build();
        } catch (RuntimeException e) {
            problem(file, node, "payment is incomplete: " + e.getMessage());
            return null;
        }
    }

    private Features features(String file, Node node, Set<String> knownFeatures) {
        Features.Builder b = Features.builder();
        if (node == null) {
            return b.build();
        }
        Map<String, Node> fields = mapping(file, node, "'features'", null);
        if (fields == null) {
            return b.build();
        }
        for (Map.Entry<String, Node> f : fields.entrySet()) {
            if (!knownFeatures.isEmpty() && !knownFeatures.contains(f.getKey())) {
                problem(file, f.getValue(), "no feature is named '" + f.getKey() + "'");
                continue;
            }
            String value = scalar(file, f.getValue(), node, "features." + f.getKey());
            if (value == null) {
                continue;
            }
            try {
                b.put(f.getKey(), Double.parseDouble(value));
            } catch (IllegalArgumentException e) {
                problem(
                        file,
                        f.getValue(),
                        "features." + f.getKey() + " must be a number, was '" + value + "'");
            }
        }
        return b.build();
    }

    private Map<String, Set<String>> lists(String file, Node node) {
        if (node == null) {
            return Map.of();
        }
        Map<String, Node> fields = mapping(file, node, "'lists'", null);
        if (fields == null) {
            return Map.of();
        }
        Map<String, Set<String>> lists = new LinkedHashMap<>();
        for (Map.Entry<String, Node> f : fields.entrySet()) {
            if (!(f.getValue() instanceof SequenceNode values)) {
                problem(file, f.getValue(), "lists." + f.getKey() + " must be a list of values");
                continue;
            }
            Set<String> set = new HashSet<>();
            for (Node v : values.getValue()) {
                String value = scalar(file, v, node, "a value of lists." + f.getKey());
                if (value != null) {
                    set.add(value);
                }
            }
            lists.put(f.getKey(), set);
        }
        return lists;
    }

    private Set<String> codes(String file, Node node, Node parent) {
        if (node == null) {
            problem(file, parent, "expect has no 'reasons' (write [] for none)");
            return Set.of();
        }
        if (!(node instanceof SequenceNode list)) {
            problem(
                    file,
                    node,
                    "expect.reasons must be a list of reason codes, like [VELOCITY_CARD_10M]");
            return Set.of();
        }
        Set<String> codes = new HashSet<>();
        for (Node item : list.getValue()) {
            String code = scalar(file, item, node, "a reason code");
            if (code != null) {
                codes.add(code);
            }
        }
        return codes;
    }

    private Map<String, Node> mapping(String file, Node node, String what, Set<String> allowed) {
        if (!(node instanceof MappingNode map)) {
            problem(file, node, what + " must be a mapping of keys to values");
            return null;
        }
        Map<String, Node> fields = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : null;
            if (key == null) {
                problem(file, t.getKeyNode(), what + " has a key that is not text");
            } else if (allowed != null && !allowed.contains(key)) {
                problem(
                        file,
                        t.getKeyNode(),
                        what
                                + " has no '"
                                + key
                                + "' (allowed: "
                                + String.join(", ", allowed.stream().sorted().toList())
                                + ")");
            } else if (fields.put(key, t.getValueNode()) != null) {
                problem(file, t.getKeyNode(), what + " has '" + key + "' twice");
            }
        }
        return fields;
    }

    private String scalar(String file, Node node, Node parent, String what) {
        if (node == null) {
            problem(file, parent, "'" + what + "' is missing");
            return null;
        }
        if (!(node instanceof ScalarNode s) || s.getValue().isBlank()) {
            problem(file, node, "'" + what + "' must be a single value");
            return null;
        }
        return s.getValue().trim();
    }

    private void problem(String file, Node node, String message) {
        problems.add(file + ":" + line(node) + ": " + message);
    }

    private static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }

    private static int yamlLine(YAMLException e) {
        if (e instanceof org.yaml.snakeyaml.error.MarkedYAMLException m
                && m.getProblemMark() != null) {
            return m.getProblemMark().getLine() + 1;
        }
        return 1;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
