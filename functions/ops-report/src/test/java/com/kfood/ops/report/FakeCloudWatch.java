package com.kfood.ops.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;

/**
 * The report's GetMetricData read as a test needs it: each query answered with one value at the
 * request's start ({@code value} of the query), pages of {@code pageSize} results with a token, every
 * request kept. A null value answers no datapoint.
 */
final class FakeCloudWatch extends StubReads {
    final List<GetMetricDataRequest> requests = Collections.synchronizedList(new ArrayList<>());
    private final Function<MetricDataQuery, Double> value;
    private final int pageSize;
    RuntimeException failure;

    FakeCloudWatch(Function<MetricDataQuery, Double> value, int pageSize) {
        this.value = value;
        this.pageSize = pageSize;
    }

    @Override
    public GetMetricDataResponse metricData(Instant start, Instant end, List<MetricDataQuery> queries, String token) {
        GetMetricDataRequest request = request(start, end, queries, token);
        requests.add(request);
        if (failure != null) {
            throw failure;
        }
        int from = request.nextToken() == null ? 0 : Integer.parseInt(request.nextToken());
        int to = Math.min(queries.size(), from + pageSize);
        List<MetricDataResult> results = new ArrayList<>();
        for (MetricDataQuery q : queries.subList(from, to)) {
            Double v = value.apply(q);
            results.add(MetricDataResult.builder()
                    .id(q.id())
                    .timestamps(v == null ? List.of() : List.of(request.startTime()))
                    .values(v == null ? List.of() : List.of(v))
                    .build());
        }
        return GetMetricDataResponse.builder()
                .metricDataResults(results)
                .nextToken(to < queries.size() ? String.valueOf(to) : null)
                .build();
    }
}
