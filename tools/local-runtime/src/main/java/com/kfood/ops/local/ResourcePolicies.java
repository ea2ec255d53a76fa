package com.kfood.ops.local;

import com.kfood.ops.emulator.Template;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a stack's own resources add to IAM's judgement of a request: the bucket, topic, queue and key
 * policies (a resource policy can allow, and its Deny statements always apply), and the KMS key
 * that encrypts a topic, queue or bucket (the caller then needs the key too, through that service).
 */
final class ResourcePolicies {
    /** S3 object actions and what each asks of a bucket's KMS key; SNS's and SQS's sends likewise. */
    private static final Map<String, List<String>> S3_KEY_USE = Map.of(
            "s3:PutObject", List.of("kms:GenerateDataKey"),
            "s3:GetObject", List.of("kms:Decrypt"),
            "s3:GetObjectVersion", List.of("kms:Decrypt"));

    private static final Map<String, List<String>> SEND_KEY_USE = Map.of(
            "sns:Publish",
            List.of("kms:GenerateDataKey", "kms:Decrypt"),
            "sqs:SendMessage",
            List.of("kms:GenerateDataKey", "kms:Decrypt"));

    private ResourcePolicies() {}

    /** A resource the stack deploys with these parameters (its Condition, if any, holds). */
    private record Deployed(String id, String type, Map<String, Object> props) {}

    @SuppressWarnings("unchecked")
    private static List<Deployed> deployed(Template cfn, Resolver resolver) {
        List<Deployed> out = new ArrayList<>();
        cfn.section("Resources").forEach((id, value) -> {
            Map<String, Object> r = (Map<String, Object>) value;
            if (r.get("Condition") == null || resolver.condition(String.valueOf(r.get("Condition")), id)) {
                out.add(new Deployed(id, String.valueOf(r.get("Type")), (Map<String, Object>)
                        r.getOrDefault("Properties", Map.of())));
            }
        });
        return out;
    }

    /** {name, resources (ARNs), policy} of each bucket, topic, queue and key policy the stack deploys. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> of(Template cfn, Resolver resolver) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Deployed d : deployed(cfn, resolver)) {
            Map<String, Object> props = d.props();
            List<String> resources = new ArrayList<>();
            Object doc = props.get("PolicyDocument");
            switch (d.type()) {
                case "AWS::S3::BucketPolicy" ->
                    resources.add("arn:aws:s3:::" + resolver.resolve(props.get("Bucket"), d.id()));
                case "AWS::SNS::TopicPolicy" ->
                    ((List<Object>) props.get("Topics")).forEach(t -> resources.add(resolver.resolve(t, d.id())));
                case "AWS::SQS::QueuePolicy" ->
                    ((List<Object>) props.get("Queues"))
                            .forEach(q -> resources.add(queueArn(resolver.resolve(q, d.id()))));
                case "AWS::KMS::Key" -> {
                    resources.add(arn(resolver, d.id()));
                    doc = props.get("KeyPolicy");
                }
                default -> {
                    continue;
                }
            }
            Map<String, Object> policy = new LinkedHashMap<>((Map<String, Object>) resolver.resolveTree(doc, d.id()));
            policy.putIfAbsent("Version", "2012-10-17");
            out.add(Map.of("name", d.id(), "resources", resources, "policy", policy));
        }
        return out;
    }

    /**
     * {arnPrefix, key, service, actions} for each topic, queue and bucket the stack encrypts with a
     * key: a request on it needs the key's actions too, through that service (kms:ViaService).
     */
    static List<Map<String, Object>> encryption(Template cfn, Resolver resolver) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Deployed d : deployed(cfn, resolver)) {
            Object key = d.props().get("KmsMasterKeyId");
            switch (d.type()) {
                case "AWS::SNS::Topic" -> {
                    if (key != null) {
                        out.add(row(
                                resolver.resolve(Map.of("Ref", d.id()), d.id()),
                                key(resolver, key, d.id()),
                                "sns",
                                SEND_KEY_USE));
                    }
                }
                case "AWS::SQS::Queue" -> {
                    if (key != null) {
                        out.add(row(arn(resolver, d.id()), key(resolver, key, d.id()), "sqs", SEND_KEY_USE));
                    }
                }
                case "AWS::S3::Bucket" ->
                    bucketKey(d.props())
                            .ifPresent(k -> out.add(
                                    row(arn(resolver, d.id()) + "/", key(resolver, k, d.id()), "s3", S3_KEY_USE)));
                default -> {}
            }
        }
        return out;
    }

    private static String arn(Resolver resolver, String id) {
        return resolver.resolve(Map.of("Fn::GetAtt", List.of(id, "Arn")), id);
    }

    @SuppressWarnings("unchecked")
    private static Optional<Object> bucketKey(Map<String, Object> props) {
        if (props.get("BucketEncryption") instanceof Map<?, ?> enc
                && enc.get("ServerSideEncryptionConfiguration") instanceof List<?> rules) {
            for (Object rule : rules) {
                if (rule instanceof Map<?, ?> m
                        && m.get("ServerSideEncryptionByDefault") instanceof Map<?, ?> d
                        && "aws:kms".equals(d.get("SSEAlgorithm"))
                        && d.get("KMSMasterKeyID") != null) {
                    return Optional.of(d.get("KMSMasterKeyID"));
                }
            }
        }
        return Optional.empty();
    }

    /** A key as its ARN: the stack's own key by Ref or GetAtt, or an ARN parameter. */
    private static String key(Resolver resolver, Object value, String where) {
        if (value instanceof Map<?, ?> m && m.get("Ref") != null) {
            return arn(resolver, String.valueOf(m.get("Ref")));
        }
        return resolver.resolve(value, where);
    }

    /** A row; an AWS managed key (alias/aws/...) is left out: no policy of the stack's governs it. */
    private static Map<String, Object> row(
            String arnPrefix, String key, String service, Map<String, List<String>> actions) {
        return key.startsWith("arn:")
                ? Map.of("arnPrefix", arnPrefix, "key", key, "service", service, "actions", actions)
                : Map.of("arnPrefix", arnPrefix, "key", key, "service", service, "actions", Map.of());
    }

    /** A queue's ARN from its URL (https://sqs.REGION.../ACCOUNT/NAME), as SQS policies name it. */
    static String queueArn(String url) {
        String[] parts = url.replaceFirst("^https?://", "").split("/");
        String region = parts[0].split("\\.")[1];
        return "arn:aws:sqs:" + region + ":" + parts[1] + ":" + parts[2];
    }
}
