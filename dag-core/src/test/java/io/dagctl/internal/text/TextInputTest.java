package io.dagctl.internal.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** What is not text is named as such, a byte order mark is dropped, and control characters show as escapes. */
class TextInputTest {
    @Test
    void aGzipFileIsReportedAsCompressed() throws IOException {
        ByteArrayOutputStream gzip = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gzip)) {
            out.write("dteday,cnt\n2011-03-01,985\n".getBytes(StandardCharsets.UTF_8));
        }

        assertThatThrownBy(() -> TextInput.reader(new ByteArrayInputStream(gzip.toByteArray()), "CSV day.csv.gz"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CSV day.csv.gz is compressed (gzip), not text: decompress it first");
    }

    @Test
    void binaryDataIsReportedAsNotText() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13};

        assertThatThrownBy(() -> TextInput.reader(new ByteArrayInputStream(png), "CSV chart.png"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CSV chart.png is not text: it holds binary data (a zero byte at offset 8)");
    }

    @Test
    void bytesThatAreNotUtf8AreReportedAsNotText() {
        byte[] latin1 = "dteday,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> TextInput.reader(new ByteArrayInputStream(latin1), "CSV latin1.csv"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CSV latin1.csv is not text: it is not valid UTF-8");
    }

    @Test
    void aUtf8ByteOrderMarkIsDropped() throws IOException {
        byte[] withBom = "\uFEFFdteday,cnt\n".getBytes(StandardCharsets.UTF_8);

        try (Reader reader = TextInput.reader(new ByteArrayInputStream(withBom), "CSV bom.csv")) {
            char[] text = new char[32];
            assertThat(new String(text, 0, reader.read(text))).isEqualTo("dteday,cnt\n");
        }
    }

    @Test
    void controlCharactersAreEscapedButLinesAndTabsKept() {
        assertThat(ControlCharacters.escape("col\u001b[2J\u001b]0;owned\u0007\tnext\r\n\u009b31m"))
                .isEqualTo("col\\x1b[2J\\x1b]0;owned\\x07\tnext\\x0d\n\\x9b31m");
    }
}
