package com.kfood.ops.report;

import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/** A CloudWatch client a test answers only the calls it needs of; any other call fails as unsupported. */
interface CloudWatchStub extends CloudWatchClient {
    @Override
    default String serviceName() {
        return "monitoring";
    }

    @Override
    default void close() {}
}
