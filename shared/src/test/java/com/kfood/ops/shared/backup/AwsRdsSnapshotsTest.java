package com.kfood.ops.shared.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBSnapshot;

/**
 * AwsRdsSnapshots reads every page RDS gives (Marker to Marker, 100 at most a page), asking RDS to
 * filter by database and type. moto answers in one page whatever MaxRecords says, so a scripted RDS
 * endpoint pages here, as RDS does: 250 snapshots in three requests.
 */
class AwsRdsSnapshotsTest {
    private static final Pattern FIELD = Pattern.compile("([^&=]+)=([^&]*)");
    private final List<Map<String, String>> requests = new ArrayList<>();
    private HttpServer rds;

    @BeforeEach
    void scriptedRds() throws IOException {
        rds = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        rds.createContext("/", exchange -> {
            Map<String, String> form =
                    form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            synchronized (requests) {
                requests.add(form);
            }
            int from = Integer.parseInt(form.getOrDefault("Marker", "0"));
            int to = Math.min(250, from + Integer.parseInt(form.get("MaxRecords")));
            String snapshots = IntStream.range(from, to)
                    .mapToObj(i -> "<DBSnapshot><DBSnapshotIdentifier>s-" + i
                            + "</DBSnapshotIdentifier><DBInstanceIdentifier>kfood-db</DBInstanceIdentifier>"
                            + "<SnapshotType>manual</SnapshotType></DBSnapshot>")
                    .collect(Collectors.joining());
            byte[] body = ("<DescribeDBSnapshotsResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\">"
                            + "<DescribeDBSnapshotsResult><DBSnapshots>" + snapshots + "</DBSnapshots>"
                            + (to < 250 ? "<Marker>" + to + "</Marker>" : "")
                            + "</DescribeDBSnapshotsResult></DescribeDBSnapshotsResponse>")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/xml");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        rds.start();
    }

    @AfterEach
    void stop() {
        rds.stop(0);
    }

    private static Map<String, String> form(String body) {
        Matcher m = FIELD.matcher(body);
        Map<String, String> out = new java.util.LinkedHashMap<>();
        while (m.find()) {
            out.put(
                    URLDecoder.decode(m.group(1), StandardCharsets.UTF_8),
                    URLDecoder.decode(m.group(2), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void everyPageIsReadWithRdsFilteringByDatabaseAndType() {
        RdsClient client = RdsClient.builder()
                .endpointOverride(
                        URI.create("http://127.0.0.1:" + rds.getAddress().getPort()))
                .region(Region.AP_NORTHEAST_2)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();

        List<DBSnapshot> all = new AwsRdsSnapshots(client).manualSnapshots(List.of("kfood-db"));

        assertThat(all).hasSize(250);
        assertThat(all.getLast().dbSnapshotIdentifier()).isEqualTo("s-249");
        assertThat(requests).hasSize(3); // 100 + 100 + 50
        assertThat(requests.getFirst())
                .containsEntry("Action", "DescribeDBSnapshots")
                .containsEntry("MaxRecords", "100")
                .containsEntry("Filters.Filter.1.Name", "db-instance-id")
                .containsEntry("Filters.Filter.1.Values.Value.1", "kfood-db")
                .containsEntry("Filters.Filter.2.Name", "snapshot-type")
                .containsEntry("Filters.Filter.2.Values.Value.1", "manual");
        assertThat(requests.get(1)).containsEntry("Marker", "100");
    }
}
