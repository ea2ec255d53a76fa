package com.kfood.ops.report;

import com.kfood.ops.shared.Text;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** Why a source could not be read, in one line fit for a report: the service's error code, never a stack trace. */
final class Problems {
    private Problems() {}

    static String describe(RuntimeException e) {
        if (e instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
            String code = aws.awsErrorDetails().errorCode();
            String service = aws.awsErrorDetails().serviceName();
            return (service == null ? "" : service + " ") + "answered " + (code == null ? aws.statusCode() : code);
        }
        return Text.masked(e.getClass().getSimpleName() + ": " + e.getMessage(), 160);
    }
}
