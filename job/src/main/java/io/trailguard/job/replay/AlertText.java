package io.trailguard.job.replay;

import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.EventSubject;

/**
 * One readable line per alert ({@code replay --format text}):
 * <pre>TIME PRIORITY RULE principal=ARN src=ADDRESS: OUTPUT</pre>
 * time to the second in UTC, priority padded to the longest (Informational), the principal as its ARN (else its
 * name), {@code -} for what the alert does not name. Line breaks in the output are shown as spaces.
 */
public final class AlertText {
    private static final int PRIORITY_WIDTH = "Informational".length();

    private AlertText() {
    }

    public static String line(Alert a) {
        EventSubject s = a.subject();
        String principal = s.principalArn() != null ? s.principalArn() : s.principalName();
        StringBuilder b = new StringBuilder();
        String time = a.event().time();
        b.append(time.length() >= 19 ? time.substring(0, 19) + "Z" : time).append(' ');
        String p = a.rule().priority().display();
        b.append(p);
        for (int i = p.length(); i < PRIORITY_WIDTH; i++) {
            b.append(' ');
        }
        b.append(' ').append(a.rule().name())
                .append(" principal=").append(principal == null ? "-" : principal)
                .append(" src=").append(s.sourceIp() == null ? "-" : s.sourceIp())
                .append(": ").append(a.output() == null ? "" : a.output().replaceAll("[\\r\\n\\t]+", " "));
        return b.toString();
    }
}
