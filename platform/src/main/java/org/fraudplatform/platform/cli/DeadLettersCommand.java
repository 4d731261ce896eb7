package org.fraudplatform.platform.cli;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fraudplatform.runtime.TopicIo;
import org.fraudplatform.schemas.DeadLetter;
import org.fraudplatform.schemas.cards.CardNumberDetector;
import org.fraudplatform.schemas.topics.Topic;
import org.fraudplatform.schemas.topics.Topics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fraud dead-letters}: what the platform set aside, and why. Every record a processor could
 * not handle (an unreadable request, a command for a missing payment, a settlement row that does
 * not parse, a webhook that failed its last attempt) is kept with its reason on a topic of its own;
 * this reads them, newest last, card numbers masked.
 */
@Command(
        name = "dead-letters",
        mixinStandardHelpOptions = true,
        description = {
            "Shows the records the platform set aside with their reason: unreadable or invalid"
                    + " records (payments.dlq), settlement rows refused at import"
                    + " (settlements.quarantine) and webhook deliveries that failed their last"
                    + " attempt (webhooks.dlq).",
            "Card numbers in keys, values and reasons are masked."
        })
final class DeadLettersCommand implements Callable<Integer> {

    /** Which dead-letter topics to read. */
    enum From {
        payments,
        settlements,
        webhooks,
        all
    }

    @Option(
            names = "--from",
            defaultValue = "all",
            description = "payments, settlements, webhooks or all. Default: ${DEFAULT-VALUE}")
    From from;

    @Option(
            names = "--since",
            converter = InstantConverter.class,
            description = "Only those set aside at or after this time. " + InstantConverter.FORMS)
    Instant since;

    @Option(
            names = "--limit",
            defaultValue = "100",
            description = "At most this many, the newest. Default: ${DEFAULT-VALUE}")
    int limit;

    @Option(
            names = "--values",
            description = "Also print each record's value (text as it is, anything else as hex)")
    boolean values;

    @CommandLine.Mixin KafkaOptions kafka = new KafkaOptions();

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--limit must be at least 1, not " + limit);
        }
        Topics topics = kafka.topics();
        List<Topic<byte[], DeadLetter>> read = new ArrayList<>();
        if (from == From.payments || from == From.all) {
            read.add(topics.deadLetters());
        }
        if (from == From.settlements || from == From.all) {
            read.add(topics.settlementQuarantine());
        }
        if (from == From.webhooks || from == From.all) {
            read.add(topics.webhookDeadLetters());
        }
        List<Found> found = new ArrayList<>();
        for (Topic<byte[], DeadLetter> topic : read) {
            for (ConsumerRecord<byte[], DeadLetter> r :
                    TopicIo.readAll(kafka.connection(), topic)) {
                if (r.value() != null
                        && (since == null || !r.value().getFailedAt().isBefore(since))) {
                    found.add(new Found(topic.name(), r.value()));
                }
            }
        }
        found.sort(Comparator.comparing(f -> f.letter().getFailedAt()));
        List<Found> shown = found.subList(Math.max(0, found.size() - limit), found.size());
        PrintWriter out = spec.commandLine().getOut();
        for (Found f : shown) {
            DeadLetter d = f.letter();
            out.printf(
                    "%s  %s  from %s[%d]@%d  by %s%n    %s%n",
                    d.getFailedAt(),
                    f.topic(),
                    d.getTopic(),
                    d.getPartition(),
                    d.getOffset(),
                    d.getProcessor(),
                    CardNumberDetector.mask(d.getError()));
            if (d.getKey() != null) {
                out.printf("    key: %s%n", readable(d.getKey()));
            }
            if (values && d.getValue() != null) {
                out.printf("    value: %s%n", readable(d.getValue()));
            }
        }
        out.printf(
                "%d dead letter%s%s%s%n",
                found.size(),
                found.size() == 1 ? "" : "s",
                since == null ? "" : " since " + since,
                shown.size() < found.size() ? " (the newest " + shown.size() + " shown)" : "");
        out.flush();
        return 0;
    }

    /** Text as it is when it is UTF-8 without control characters, else hex; card numbers masked. */
    static String readable(ByteBuffer bytes) {
        ByteBuffer copy = bytes.duplicate();
        try {
            CharBuffer text =
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(copy);
            String s = text.toString();
            if (s.chars().noneMatch(c -> Character.isISOControl(c) && c != '\t')) {
                return CardNumberDetector.mask(s);
            }
        } catch (CharacterCodingException e) {
            // not text: hex below
        }
        ByteBuffer again = bytes.duplicate();
        byte[] raw = new byte[again.remaining()];
        again.get(raw);
        // a card number in hex would be its digits' bytes (0x34 0x32 ...), which the mask cannot
        // see: the hex of the bytes is shown with the text's own masking applied first
        return "hex " + java.util.HexFormat.of().formatHex(masked(raw));
    }

    /** The bytes with every run of ASCII digits that is a card number masked in place. */
    private static byte[] masked(byte[] raw) {
        String latin = new String(raw, StandardCharsets.ISO_8859_1);
        return CardNumberDetector.mask(latin).getBytes(StandardCharsets.ISO_8859_1);
    }

    private record Found(String topic, DeadLetter letter) {}
}
