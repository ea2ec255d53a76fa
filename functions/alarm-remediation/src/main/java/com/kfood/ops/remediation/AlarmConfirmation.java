package com.kfood.ops.remediation;

import java.util.List;

/**
 * A message on the alarms topic is a claim: anyone allowed to publish there (or to invoke the
 * function) could write an ALARM. CloudWatch, asked, says whether the alarm is one of ours and in
 * ALARM now.
 */
record AlarmConfirmation(List<String> alarmPrefixes, Platform platform) {

    /** Why the alarm is not confirmed, or null: it is one of ours, and CloudWatch holds it in ALARM now. */
    String doubt(AlarmChange alarm) {
        if (alarmPrefixes.stream().noneMatch(alarm.name()::startsWith)) {
            return "not one of this stack's alarms (" + String.join(", ", alarmPrefixes) + "*)";
        }
        Platform.AlarmNow now = platform.alarmNow(alarm.name());
        if (now == null) {
            return "CloudWatch has no such alarm";
        }
        if (alarm.arn() != null && !alarm.arn().equals(now.arn())) {
            return "the message names another alarm ARN than CloudWatch's";
        }
        return "ALARM".equals(now.state()) ? null : "CloudWatch has it in " + now.state() + " now, not ALARM";
    }
}
