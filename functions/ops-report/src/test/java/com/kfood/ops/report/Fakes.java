package com.kfood.ops.report;

import com.kfood.ops.testsupport.TestOps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Sources, a store and a configuration for reports built without AWS. */
final class Fakes {
    private Fakes() {}

    static ReportConfig config(String... more) {
        List<String> vars = new ArrayList<>(List.of("DB_INSTANCE_IDS", "kfood-db", "STACK_NAME", "kfood-ops"));
        vars.addAll(List.of(more));
        return ReportConfig.from(TestOps.env(vars.toArray(String[]::new)));
    }

    /** The section's item with this label (a test that names one that is not there fails). */
    static Item item(Section s, String label) {
        return s.items().stream()
                .filter(i -> i.label().equals(label))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no item '" + label + "' in " + s.key()));
    }

    /** A section from one planned metric: its current Sum as the value, ACT above {@code actAbove}. */
    static Source metricSource(String key, double actAbove) {
        return new Source(key, key, EnumSet.allOf(ReportKind.class)) {
            private String total;

            @Override
            void plan(Metrics metrics) {
                total = metrics.total(new Metrics.Metric("KfoodOps", key, Map.of()), "Sum");
            }

            @Override
            Section build(Metrics metrics) {
                double v = metrics.current(total).orElse(Double.NaN);
                Section.Builder s = new Section.Builder(key, key);
                Verdict verdict = v > actAbove ? Verdict.ACT : Verdict.OK;
                s.item(new Item(key, Format.count(v) + " things", "", verdict, "", null).number("value", v));
                if (verdict == Verdict.ACT) {
                    s.action(key + " is " + Format.count(v) + ": look at it");
                }
                return s.build();
            }
        };
    }

    /** A source of the daily and weekly reports, without metrics, whose build does {@code build}. */
    static Source plainSource(String key, Function<Metrics, Section> build) {
        return new Source(key, key, EnumSet.of(ReportKind.DAILY, ReportKind.WEEKLY)) {
            @Override
            Section build(Metrics metrics) {
                return build.apply(metrics);
            }
        };
    }

    static final class Sources implements ReportSources {
        final FakeCloudWatch cloudWatch;
        final List<Source> sources;
        int built;

        Sources(FakeCloudWatch cloudWatch, List<Source> sources) {
            this.cloudWatch = cloudWatch;
            this.sources = sources;
        }

        @Override
        public Metrics metrics(ReportPeriod period) {
            return new Metrics(cloudWatch, period);
        }

        @Override
        public List<Source> sources(ReportPeriod period, Instant now) {
            built++;
            return sources;
        }

        @Override
        public Map<String, Integer> calls() {
            return Map.of("GetMetricData", cloudWatch.requests.size());
        }
    }

    static final class Store implements ReportStore {
        final Map<String, String> pages = new HashMap<>();
        final Map<String, String> documents = new HashMap<>();
        final Set<String> claimed = new HashSet<>();
        RuntimeException failure;

        @Override
        public void store(String key, String json, String html) {
            if (failure != null) {
                throw failure;
            }
            pages.put(key, html);
            documents.put(key, json);
        }

        @Override
        public boolean claimNotification(String key) {
            return claimed.add(key);
        }

        @Override
        public void releaseNotification(String key) {
            claimed.remove(key);
        }

        @Override
        public String link(String key) {
            return "https://reports.example/" + key + ".html?X-Amz-Expires=3600";
        }
    }
}
