package io.trailguard.job.sink.aws;

import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.EventSubject;
import software.amazon.awssdk.services.securityhub.model.Action;
import software.amazon.awssdk.services.securityhub.model.ActionRemoteIpDetails;
import software.amazon.awssdk.services.securityhub.model.AwsApiCallAction;
import software.amazon.awssdk.services.securityhub.model.AwsApiCallActionDomainDetails;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code Action} of type {@code AWS_API_CALL}: the API and its service from the event, the caller type
 * ({@code remoteip} when {@code sourceIPAddress} is an IPv4 address, with {@code RemoteIpDetails.IpAddressV4};
 * {@code domain} when it is a host name such as {@code cloudtrail.amazonaws.com}, with {@code DomainDetails}), and
 * the first and last time the call was seen (a rate alert: its window's first and last counted events).
 * IPv6 callers get the caller type {@code remoteip} without {@code IpAddressV4}, which takes IPv4 only.
 */
final class FindingAction {
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:]*:[0-9a-fA-F:.]*");
    private static final Pattern DOMAIN = Pattern.compile("[A-Za-z0-9.-]{1,253}");

    private FindingAction() {
    }

    static Optional<Action> of(Alert a) {
        EventSubject s = a.subject();
        if (s.eventName() == null && s.eventSource() == null) {
            return Optional.empty();
        }
        AwsApiCallAction.Builder call = AwsApiCallAction.builder();
        if (s.eventName() != null) {
            call.api(Text.truncateChars(Text.oneLine(s.eventName()), 128));
        }
        if (s.eventSource() != null) {
            call.serviceName(Text.truncateChars(Text.oneLine(s.eventSource()), 128));
        }
        String ip = s.sourceIp();
        if (ip != null && IPV4.matcher(ip).matches()) {
            call.callerType("remoteip").remoteIpDetails(ActionRemoteIpDetails.builder().ipAddressV4(ip).build());
        } else if (ip != null && IPV6.matcher(ip).matches()) {
            call.callerType("remoteip");
        } else if (ip != null && DOMAIN.matcher(ip).matches()) {
            call.callerType("domain").domainDetails(AwsApiCallActionDomainDetails.builder().domain(ip).build());
        }
        long first = a.rate() != null ? a.rate().firstTime() : a.event().timeMillis();
        long last = a.rate() != null ? a.rate().lastTime() : a.event().timeMillis();
        call.firstSeen(FindingMapper.formatTime(first)).lastSeen(FindingMapper.formatTime(last));
        return Optional.of(Action.builder().actionType("AWS_API_CALL").awsApiCallAction(call.build()).build());
    }
}
