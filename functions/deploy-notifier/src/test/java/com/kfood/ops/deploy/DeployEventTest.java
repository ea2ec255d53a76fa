package com.kfood.ops.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.kfood.ops.emulator.Mapper;
import com.kfood.ops.shared.InvalidEventException;
import com.kfood.ops.shared.Json;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeployEventTest {
    private static DeployEvent parse(Map<String, Object> event) {
        return DeployEvent.parse(Json.tree(event));
    }

    @ParameterizedTest
    @Event(value = "events/deploy/ecs-deployment-failed-rollback.json", type = Map.class)
    void ecsDeploymentWithTheLongServiceArn(Map<String, Object> event) {
        DeployEvent e = parse(event);
        assertThat(e.kind()).isEqualTo(DeployEvent.Kind.ECS_DEPLOYMENT);
        assertThat(e.cluster()).isEqualTo("kfood-cluster");
        assertThat(e.service()).isEqualTo("kfood-backend");
        assertThat(e.deploymentId()).isEqualTo("ecs-svc/7743812296516004277");
        assertThat(e.isRollback()).isTrue();
    }

    @ParameterizedTest
    @Event(value = "events/deploy/ecs-service-short-arn.json", type = Map.class)
    void shortServiceArnTakesTheClusterFromClusterArn(Map<String, Object> event) {
        DeployEvent e = parse(event);
        assertThat(e.cluster()).isEqualTo("kfood-cluster");
        assertThat(e.service()).isEqualTo("kfood-frontend");
        assertThat(e.eventType()).isEqualTo("ERROR");
    }

    @ParameterizedTest
    @Event(value = "events/deploy/codedeploy-failure.json", type = Map.class)
    void codeDeployEvent(Map<String, Object> event) {
        DeployEvent e = parse(event);
        assertThat(e.kind()).isEqualTo(DeployEvent.Kind.CODEDEPLOY);
        assertThat(e.subject()).isEqualTo("kfood-backend/kfood-backend-bluegreen");
        assertThat(e.name()).isEqualTo("FAILURE");
    }

    @ParameterizedTest
    @Event(value = "events/deploy/ecs-task-stopped-crash.json", type = Map.class)
    void crashedTaskNamesItsContainer(Map<String, Object> event) {
        DeployEvent e = parse(event);
        assertThat(e.kind()).isEqualTo(DeployEvent.Kind.ECS_TASK_STOPPED);
        assertThat(e.service()).isEqualTo("kfood-backend");
        assertThat(e.stoppedContainers())
                .containsExactly("kfood-backend exit 137 (OutOfMemoryError: Container killed due to memory usage)");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{}",
                "{\"source\": \"aws.ecs\", \"detail-type\": \"ECS Deployment State Change\", \"detail\": {\"eventName\": \"X\"}}",
                "{\"source\": \"aws.ecs\", \"detail-type\": \"ECS Deployment State Change\", \"resources\": "
                        + "[\"arn:aws:ecs:r:1:service/\"], \"detail\": {\"eventName\": \"X\"}}",
                "{\"source\": \"aws.ecs\", \"detail-type\": \"ECS Deployment State Change\", \"resources\": "
                        + "[\"arn:aws:ecs:r:1:service/c/s\"], \"detail\": {}}",
                "{\"source\": \"aws.ecs\", \"detail-type\": \"ECS Task State Change\", \"detail\": {\"group\": \"family:batch\"}}",
                "{\"source\": \"aws.codedeploy\", \"detail-type\": \"CodeDeploy Deployment State-change Notification\", "
                        + "\"detail\": {\"state\": \"START\"}}",
                "{\"source\": \"aws.ec2\", \"detail-type\": \"EC2 Instance State-change Notification\", \"detail\": {}}",
                "{\"source\": \"aws.ecs\", \"detail-type\": \"ECS Deployment State Change\", \"detail\": \"a string\"}"
            })
    void malformedAndUnknownEventsAreRejectedWithAReason(String event) throws Exception {
        assertThatThrownBy(() -> DeployEvent.parse(Mapper.get().readTree(event)))
                .isInstanceOf(InvalidEventException.class)
                .message()
                .isNotBlank();
    }
}
