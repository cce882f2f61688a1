package io.dagctl.internal.logging;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.dagctl.Secrets;
import io.dagctl.internal.text.ControlCharacters;

/**
 * A pattern layout that masks registered secrets in the whole line, message and stack trace alike, and escapes
 * control characters that input may have brought into it. Usable from
 * a logback.xml: {@code <layout class="io.dagctl.internal.logging.MaskingPatternLayout">}.
 */
public final class MaskingPatternLayout extends PatternLayout {
    @Override
    public String doLayout(ILoggingEvent event) {
        return ControlCharacters.escape(Secrets.mask(super.doLayout(event)));
    }
}
