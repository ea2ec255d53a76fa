package com.kfood.ops.emulator;

import com.kfood.ops.shared.Env;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The emulator's default subnets, for the DB subnet group the restore drill restores into. One
 * signed EC2 Query call (DescribeSubnets) made by hand: the EC2 SDK module would add some 20 MB to
 * the local runtime that every {@code ./ops invoke} opens, for this one call.
 */
public final class DemoNetwork {
    private static final Pattern SUBNET = Pattern.compile("<subnetId>(subnet-[0-9a-f]+)</subnetId>");
    private static final Pattern VPC = Pattern.compile("<vpcId>(vpc-[0-9a-f]+)</vpcId>");

    private DemoNetwork() {}

    static List<String> defaultSubnets(Env aws) throws IOException {
        return all(SUBNET, defaultSubnetsXml(aws));
    }

    /** The default subnets' VPC. */
    static String defaultVpc(Env aws) throws IOException {
        return all(VPC, defaultSubnetsXml(aws)).stream()
                .findFirst()
                .orElseThrow(() -> new IOException("the emulator has no default VPC"));
    }

    private static List<String> all(Pattern p, String xml) {
        List<String> out = new ArrayList<>();
        Matcher m = p.matcher(xml);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static String defaultSubnetsXml(Env aws) throws IOException {
        String body = "Action=DescribeSubnets&Version=2016-11-15&Filter.1.Name=default-for-az&Filter.1.Value.1=true";
        URI endpoint = URI.create(aws.required("AWS_ENDPOINT_URL"));
        SdkHttpFullRequest request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint)
                .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .build();
        SignedRequest signed = AwsV4HttpSigner.create()
                .sign(r -> r.identity(AwsCredentialsIdentity.create(
                                aws.required("AWS_ACCESS_KEY_ID"), aws.required("AWS_SECRET_ACCESS_KEY")))
                        .request(request)
                        .payload(ContentStreamProvider.fromUtf8String(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ec2")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, aws.required("AWS_REGION")));
        HttpRequest.Builder http = HttpRequest.newBuilder(endpoint).POST(HttpRequest.BodyPublishers.ofString(body));
        signed.request().headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(v -> http.header(name, v));
            }
        });
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(http.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("EC2 DescribeSubnets answered HTTP " + response.statusCode());
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
