package org.fraudplatform.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DeadLettersCommandTest {

    @Test
    void shouldShowTextAsItIsWithCardNumbersMasked() {
        assertThat(
                        DeadLettersCommand.readable(
                                utf8("{\"amount\": -5, \"pan\": \"4242424242424242\"}")))
                .isEqualTo("{\"amount\": -5, \"pan\": \"424242******4242\"}");
    }

    @Test
    void shouldShowBinaryAsHexWithoutTheDigitsOfACardNumber() {
        byte[] avro = new byte[] {0, 0, 0, 0, 7, 2};
        byte[] card = "4242424242424242".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer both = ByteBuffer.allocate(avro.length + card.length).put(avro).put(card).flip();

        String shown = DeadLettersCommand.readable(both);

        assertThat(shown).startsWith("hex 000000000702");
        assertThat(shown)
                .as("the card's digits in hex")
                .doesNotContain(java.util.HexFormat.of().formatHex(card));
        assertThat(both.remaining()).as("the letter's bytes are left as they were").isEqualTo(22);
    }

    @Test
    void shouldShowTextWithControlCharactersAsHex() {
        assertThat(DeadLettersCommand.readable(utf8("line\u0000two")))
                .isEqualTo("hex 6c696e650074776f");
    }

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }
}
