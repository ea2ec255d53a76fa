package com.kfood.ops.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.kfood.ops.testsupport.Moto;
import com.kfood.ops.testsupport.MotoExtension;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/** The report's AWS reads on the emulator, where a fake of the seam cannot tell: what CloudWatch is asked. */
@ExtendWith(MotoExtension.class)
class AwsReportReadsIT {
    @Test
    void onlyTheAlarmsInAlarmNowAreRead(Moto moto) {
        CloudWatchClient cloudWatch = moto.aws().build(CloudWatchClient.builder(), "CLOUDWATCH");
        for (String name : new String[] {"kfood-ops-db-storage-low", "kfood-ops-backend-5xx"}) {
            cloudWatch.putMetricAlarm(b -> b.alarmName(name)
                    .namespace("KfoodTest")
                    .metricName("Errors")
                    .statistic(Statistic.SUM)
                    .period(60)
                    .evaluationPeriods(1)
                    .threshold(1.0)
                    .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD));
        }
        cloudWatch.setAlarmState(b -> b.alarmName("kfood-ops-db-storage-low")
                .stateValue(StateValue.ALARM)
                .stateReason("test"));
        ReportReads reads = new AwsReportReads(
                cloudWatch, null, null, null, Optional.empty(), null, null, null, Optional.empty(), Optional.empty());

        assertThat(reads.alarmsInAlarm()).singleElement().satisfies(a -> {
            assertThat(a.name()).isEqualTo("kfood-ops-db-storage-low");
            assertThat(a.since()).isNotNull();
        });
    }
}
