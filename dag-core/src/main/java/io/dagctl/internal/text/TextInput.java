package io.dagctl.internal.text;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Opens input that should be UTF-8 text (a CSV a user points a DAG at), refusing what is not: a compressed file
 * or binary data is named as such instead of reaching a parser, and later a message, as raw bytes. A UTF-8 byte
 * order mark is dropped, so that it does not become part of the first column's name.
 */
public final class TextInput {
    /** How much of the input is looked at: enough for a header and the first rows. */
    private static final int SNIFFED_BYTES = 8192;
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private TextInput() {
    }

    /**
     * A UTF-8 reader of {@code in}, without its byte order mark.
     *
     * @param what names the input in errors, e.g. {@code "CSV s3://bucket/day.csv"}
     * @throws IllegalArgumentException when the input is gzip, zip or other binary data
     */
    public static Reader reader(InputStream in, String what) {
        BufferedInputStream buffered = new BufferedInputStream(in, SNIFFED_BYTES);
        try {
            buffered.mark(SNIFFED_BYTES);
            byte[] head = buffered.readNBytes(SNIFFED_BYTES);
            buffered.reset();
            refuseBinary(head, what);
            if (startsWith(head, BOM)) {
                buffered.skipNBytes(BOM.length);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(what + ": cannot read: " + e.getMessage(), e);
        }
        return new InputStreamReader(buffered, StandardCharsets.UTF_8);
    }

    private static void refuseBinary(byte[] head, String what) {
        if (startsWith(head, new byte[] {0x1F, (byte) 0x8B})) {
            throw new IllegalArgumentException(what + " is compressed (gzip), not text: decompress it first");
        }
        if (startsWith(head, new byte[] {'P', 'K', 3, 4})) {
            throw new IllegalArgumentException(what + " is compressed (zip), not text: extract the file first");
        }
        for (int i = 0; i < head.length; i++) {
            if (head[i] == 0) {
                throw new IllegalArgumentException(what + " is not text: it holds binary data (a zero byte at offset "
                        + i + ")");
            }
        }
        // The sniffed bytes may end inside a character: only what is before its last 3 bytes must decode.
        int checked = head.length < SNIFFED_BYTES ? head.length : head.length - 3;
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(head, 0, checked));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(what + " is not text: it is not valid UTF-8");
        }
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
