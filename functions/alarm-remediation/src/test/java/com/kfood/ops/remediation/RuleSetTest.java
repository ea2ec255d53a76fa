package com.kfood.ops.remediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kfood.ops.shared.ConfigException;
import com.kfood.ops.shared.Env;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuleSetTest {
    private final RuleSet defaults = RuleSet.defaults(Env.of(Map.of()), false);

    static AlarmChange alarm(String name, String namespace, String metric, Map<String, String> dims) {
        return new AlarmChange(
                name,
                "arn:aws:cloudwatch:ap-northeast-2:123456789012:alarm:" + name,
                null,
                "ap-northeast-2",
                new AlarmChange.Transition(
                        "ALARM", "OK", "Threshold Crossed", Instant.parse("2026-11-26T03:12:41Z"), null),
                new AlarmChange.Watched(
                        namespace == null
                                ? List.of()
                                : List.of(new AlarmChange.MetricRef(namespace, metric, dims, "Average", 60)),
                        80.0,
                        "GreaterThanThreshold",
                        null),
                AlarmChange.Delivery.SNS,
                null);
    }

    @Test
    void defaultRulesCoverThePlatformsAlarms() {
        assertThat(defaults.rules())
                .extracting(Rule::name)
                .containsExactly(
                        "backend-5xx", "ecs-cpu-high", "database-connection-failure", "synthetic-health-check");
        assertThat(defaults.match(alarm("x", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", Map.of())))
                .get()
                .extracting(Rule::action)
                .isEqualTo(Runbook.ECS_FORCE_NEW_DEPLOYMENT);
        assertThat(defaults.match(alarm("x", "AWS/ECS", "CPUUtilization", Map.of("ServiceName", "kfood-frontend"))))
                .get()
                .extracting(Rule::action)
                .isEqualTo(Runbook.ECS_SCALE_OUT);
        assertThat(defaults.match(alarm("x", "AWS/RDS", "DatabaseConnections", Map.of())))
                .get()
                .extracting(Rule::action)
                .isEqualTo(Runbook.RDS_DIAGNOSE);
        assertThat(defaults.match(alarm("x", "KfoodOps", "Success", Map.of("Check", "database"))))
                .get()
                .extracting(Rule::action)
                .isEqualTo(Runbook.NOTIFY);
        assertThat(defaults.match(alarm("x", "AWS/Lambda", "Errors", Map.of()))).isEmpty();
        assertThat(defaults.match(alarm("composite", null, null, Map.of()))).isEmpty();
    }

    @Test
    void defaultRulesNameThePlatformFromTheStacksParameters() {
        RuleSet renamed = RuleSet.defaults(
                Env.of(Map.of("ECS_CLUSTER", "shorts", "BACKEND_SERVICE", "api", "FRONTEND_SERVICE", "web")), false);
        assertThat(renamed.rules().get(0).target())
                .containsEntry("cluster", "shorts")
                .containsEntry("service", "api");
        assertThat(renamed.rules().get(1).allowed().get("service")).containsExactly("api", "web");
        assertThatThrownBy(() -> RuleSet.defaults(Env.of(Map.of("BACKEND_SERVICE", "x\", \"y")), false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("BACKEND_SERVICE");
    }

    @Test
    void targetsFromDimensionsMustBeAllowed() {
        Rule cpu = defaults.rules().get(1);
        assertThat(cpu.resolve(alarm("x", "AWS/ECS", "CPUUtilization", Map.of("ServiceName", "kfood-backend")))
                        .get("service"))
                .isEqualTo("kfood-backend");
        assertThat(cpu.resolve(alarm("x", "AWS/ECS", "CPUUtilization", Map.of("ServiceName", "payments")))
                        .refusal())
                .contains("'payments' is not one this rule may act on");
        assertThat(cpu.resolve(alarm("x", "AWS/ECS", "CPUUtilization", Map.of()))
                        .refusal())
                .contains("no ServiceName dimension");
    }

    @Test
    void alarmNameGlobsMatchWholeNames() {
        RuleSet rules = RuleSet.parse("""
                {"rules": [{"name": "r", "match": {"alarmName": "kfood-*-5xx"}, "action": "notify"}]}""", false);
        assertThat(rules.match(alarm("kfood-backend-5xx", null, null, Map.of())))
                .isPresent();
        assertThat(rules.match(alarm("kfood-backend-5xx-old", null, null, Map.of())))
                .isEmpty();
        RuleSet literal = RuleSet.parse("""
                {"rules": [{"name": "r", "match": {"alarmName": "kfood.[*]"}, "action": "notify"}]}""", false);
        assertThat(literal.match(alarm("kfood.[prod backend]", null, null, Map.of())))
                .isPresent();
        assertThat(literal.match(alarm("kfoodX[prod backend]", null, null, Map.of())))
                .isEmpty();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"rules\": [{\"name\": \"r\", \"match\": {\"alarmName\": \"a\"}, \"action\": \"delete-everything\"}]}|unknown "
                        + "action 'delete-everything'",
                "{\"rules\": [{\"name\": \"r\", \"match\": {\"alarmName\": \"a\"}, \"action\": \"rds-reboot\", \"target\": "
                        + "{\"dbInstance\": \"kfood-db\"}}]}|rds-reboot is opt-in",
                "{\"rules\": [{\"name\": \"r\", \"match\": {\"alarmName\": \"a\"}, \"action\": \"ecs-scale-out\", \"target\": "
                        + "{\"cluster\": \"c\", \"service\": \"$dimension:ServiceName\"}}]}|needs allowed values",
                "{\"rules\": [{\"name\": \"r\", \"match\": {\"alarmName\": \"a\"}, \"action\": \"ecs-force-new-deployment\", "
                        + "\"target\": {\"service\": \"s\"}}]}|needs target",
                "{\"rules\": [{\"name\": \"r\", \"match\": {}, \"action\": \"notify\"}]}|match needs",
                "{\"rules\": [{\"match\": {\"alarmName\": \"a\"}, \"action\": \"notify\"}]}|has no name",
                "[1, 2]|RUNBOOK_RULES is not a JSON object",
                "{\"rules\": [{\"name\": \"cpu\", \"match\": {\"alarmName\": \"a\"}, \"action\": \"ecs-scale-out\", \"target\": "
                        + "{\"cluster\": \"c\", \"service\": \"s\"}, \"params\": {\"step\": \"two\"}}]}|rule cpu: params.step must be a whole number from 1 to 20, got 'two'",
                "{\"rules\": [{\"name\": \"cpu\", \"match\": {\"alarmName\": \"a\"}, \"action\": \"ecs-scale-out\", \"target\": "
                        + "{\"cluster\": \"c\", \"service\": \"s\"}, \"params\": {\"max\": \"0\"}}]}|rule cpu: params.max must be a whole number",
            })
    void badRulesFailAtInitWithTheRulesName(String json, String message) {
        assertThatThrownBy(() -> RuleSet.parse(json, false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(message);
    }

    @Test
    void rebootIsAllowedOnlyWhenOptedIn() {
        RuleSet rules = RuleSet.parse("""
                {"rules": [{"name": "r", "match": {"alarmName": "db-*"}, "action": "rds-reboot",
                 "target": {"dbInstance": "kfood-db"}}]}""", true);
        assertThat(rules.rules()).singleElement().extracting(Rule::action).isEqualTo(Runbook.RDS_REBOOT);
    }
}
