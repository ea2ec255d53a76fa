package com.kfood.ops.shared;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Short, stack-free descriptions of failures, fit for a notification or a result. */
public final class Errors {
    private Errors() {}

    public static String describe(Throwable e) {
        if (e instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
            var details = aws.awsErrorDetails();
            String code = details.errorCode() == null ? details.serviceName() + " error" : details.errorCode();
            return Text.printable(
                    code + " (HTTP " + aws.statusCode() + ")"
                            + (details.errorMessage() == null ? "" : ": " + details.errorMessage()),
                    300);
        }
        if (e instanceof SdkClientException) {
            return Text.printable("AWS unreachable: " + e.getMessage(), 300);
        }
        String message = e.getMessage();
        return Text.printable(e.getClass().getSimpleName() + (message == null ? "" : ": " + message), 300);
    }
}
