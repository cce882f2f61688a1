package io.dagctl.internal.logging;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.dagctl.Secrets;

/**
 * A pattern layout that masks registered secrets in the whole line, message and stack trace alike. Usable from
 * a logback.xml: {@code <layout class="io.dagctl.internal.logging.MaskingPatternLayout">}.
 */
public final class MaskingPatternLayout extends PatternLayout {
    @Override
    public String doLayout(ILoggingEvent event) {
        return Secrets.mask(super.doLayout(event));
    }
}
