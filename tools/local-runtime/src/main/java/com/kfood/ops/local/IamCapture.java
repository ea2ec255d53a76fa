package com.kfood.ops.local;

import com.kfood.ops.shared.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.awscore.AwsExecutionAttribute;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * {@code ./ops iam-check}'s record of every AWS request a function makes: the service, the
 * operation, the region and the request's own fields (by the SDK's model, so the same for every
 * protocol), one JSON line per request in the file {@code KFOOD_IAM_CAPTURE} names. Each request
 * also carries its line's id in a header, so the emulator can note the resource tags that held
 * when it arrived (moto_wrapper.py). Loaded for every client of the benchmark's and the checks'
 * child JVMs (bench-support.jar's execution.interceptors); without the variable it does nothing,
 * and no function's jar carries it.
 */
public final class IamCapture implements ExecutionInterceptor {
    static final String HEADER = "x-kfood-ops-capture";
    private static final String FILE = System.getenv("KFOOD_IAM_CAPTURE");
    private static final ExecutionAttribute<String> ID = new ExecutionAttribute<>("kfood-ops.captureId");

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (FILE == null) {
            return;
        }
        String id = UUID.randomUUID().toString();
        attributes.putAttribute(ID, id);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("id", id);
        line.put("service", attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME));
        line.put("operation", attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        line.put("region", String.valueOf(attributes.getAttribute(AwsExecutionAttribute.AWS_REGION)));
        line.put("params", fields(context.request()));
        append(line);
    }

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        String id = attributes.getAttribute(ID);
        return id == null
                ? context.httpRequest()
                : context.httpRequest().toBuilder().putHeader(HEADER, id).build();
    }

    /** A model object's set fields by their API member names, nested objects and lists alike. */
    static Object fields(Object value) {
        if (value instanceof SdkPojo pojo) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (SdkField<?> field : pojo.sdkFields()) {
                Object v = field.getValueOrDefault(pojo);
                if (v != null
                        && !(v instanceof List<?> l && l.isEmpty())
                        && !(v instanceof Map<?, ?> m && m.isEmpty())) {
                    out.put(field.memberName(), fields(v));
                }
            }
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(fields(v)));
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), fields(v)));
            return out;
        }
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        return value instanceof SdkBytes ? "(bytes)" : String.valueOf(value);
    }

    private static synchronized void append(Map<String, Object> line) {
        try {
            Files.writeString(
                    Path.of(FILE),
                    Json.write(line) + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("iam-check: cannot record a request in " + FILE, e);
        }
    }
}
