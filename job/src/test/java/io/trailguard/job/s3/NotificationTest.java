package io.trailguard.job.s3;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every shape in which AWS announces a new CloudTrail file on a queue. */
class NotificationTest {
    private static final String BUCKET = "org-trail-logs";
    private static final String KEY = TrailFiles.key("111122223333", "us-east-1", "2026-02-01", "a1");
    private static final String KEY2 = TrailFiles.key("111122223333", "eu-west-1", "2026-02-01", "b2");

    @Test
    void s3EventNotificationDirectlyToSqsWithUrlEncodedKeys() {
        Notification n = Notification.parse(TrailFiles.s3Event(BUCKET, KEY, "logs/with space+plus.json.gz"));
        assertThat(n.objects()).containsExactly(new ObjectRef(BUCKET, KEY),
                new ObjectRef(BUCKET, "logs/with space+plus.json.gz"));
        assertThat(n.skipped()).isNull();
        assertThat(n.unrecognised()).isNull();
    }

    @Test
    void s3EventThroughSnsRawAndNonRaw() {
        String raw = TrailFiles.s3Event(BUCKET, KEY);
        assertThat(Notification.parse(raw).objects()).containsExactly(new ObjectRef(BUCKET, KEY));
        assertThat(Notification.parse(TrailFiles.sns(raw)).objects()).containsExactly(new ObjectRef(BUCKET, KEY));
    }

    @Test
    void cloudTrailSnsNotificationWithSeveralKeysRawAndNonRaw() {
        String ct = TrailFiles.cloudTrail(BUCKET, KEY, KEY2);
        List<ObjectRef> expected = List.of(new ObjectRef(BUCKET, KEY), new ObjectRef(BUCKET, KEY2));
        assertThat(Notification.parse(ct).objects()).isEqualTo(expected);
        assertThat(Notification.parse(TrailFiles.sns(ct)).objects()).isEqualTo(expected);
    }

    @Test
    void eventBridgeObjectCreated() {
        assertThat(Notification.parse(TrailFiles.eventBridge(BUCKET, KEY)).objects())
                .containsExactly(new ObjectRef(BUCKET, KEY));
        String deleted = TrailFiles.eventBridge(BUCKET, KEY).replace("Object Created", "Object Deleted");
        assertThat(Notification.parse(deleted).skipped()).isEqualTo("EventBridge Object Deleted");
    }

    @Test
    void testEventsConfirmationsAndOtherEventTypesAnnounceNothing() {
        assertThat(Notification.parse(TrailFiles.testEvent(BUCKET)).skipped()).isEqualTo("s3:TestEvent");
        assertThat(Notification.parse(TrailFiles.sns(TrailFiles.testEvent(BUCKET))).skipped())
                .isEqualTo("s3:TestEvent");
        String confirmation = TrailFiles.sns("You have chosen to subscribe").replace("\"Notification\"",
                "\"SubscriptionConfirmation\"");
        assertThat(Notification.parse(confirmation).skipped()).isEqualTo("SNS SubscriptionConfirmation");
        String removed = TrailFiles.s3Event(BUCKET, KEY).replace("ObjectCreated:Put", "ObjectRemoved:Delete");
        assertThat(Notification.parse(removed).skipped()).contains("ObjectRemoved:Delete");
        assertThat(Notification.parse(removed).objects()).isEmpty();
    }

    @Test
    void anythingElseIsUnrecognisedWithAReason() {
        assertThat(Notification.parse("not json").unrecognised()).startsWith("not JSON");
        assertThat(Notification.parse("[1]").unrecognised()).isEqualTo("not a JSON object");
        assertThat(Notification.parse("{\"hello\":1}").unrecognised()).contains("neither");
        assertThat(Notification.parse(TrailFiles.sns("{broken")).unrecognised()).startsWith("SNS message is not JSON");
        assertThat(Notification.parse("{\"s3Bucket\":\"b\",\"s3ObjectKey\":[]}").unrecognised())
                .contains("without bucket or keys");
    }
}
