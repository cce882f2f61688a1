package io.dagctl.cli;

import io.dagctl.Secrets;
import io.dagctl.internal.text.ControlCharacters;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * Output that passes through {@link Secrets#mask} and {@link ControlCharacters#escape}, line by line, so no command
 * can print a registered secret or a terminal escape sequence it read from input.
 */
final class MaskingWriter extends Writer {
    private final Writer target;
    private final StringBuilder line = new StringBuilder();

    private MaskingWriter(Writer target) {
        this.target = target;
    }

    static PrintWriter around(Writer target) {
        return new PrintWriter(new MaskingWriter(target), true);
    }

    @Override
    public synchronized void write(char[] buffer, int offset, int length) throws java.io.IOException {
        for (int i = offset; i < offset + length; i++) {
            line.append(buffer[i]);
            if (buffer[i] == '\n') {
                emitLine();
            }
        }
    }

    private void emitLine() throws java.io.IOException {
        target.write(ControlCharacters.escape(Secrets.mask(line.toString())));
        line.setLength(0);
    }

    @Override
    public synchronized void flush() throws java.io.IOException {
        if (line.length() > 0) {
            emitLine();
        }
        target.flush();
    }

    @Override
    public synchronized void close() throws java.io.IOException {
        flush();
        target.close();
    }
}
