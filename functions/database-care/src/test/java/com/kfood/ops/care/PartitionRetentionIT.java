package com.kfood.ops.care;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.emulator.DemoDatabase;
import com.kfood.ops.emulator.DemoPlatform;
import com.kfood.ops.shared.Json;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.shared.SecretCache;
import com.kfood.ops.testsupport.Moto;
import com.kfood.ops.testsupport.MotoExtension;
import com.kfood.ops.testsupport.MutableClock;
import com.kfood.ops.testsupport.RecordingMetrics;
import com.kfood.ops.testsupport.RecordingNotifier;
import com.kfood.ops.testsupport.TestOps;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Retention on the machine's real PostgreSQL with the backup bucket on the emulator: a table of 15
 * past months (quoted CSV values, NULLs, bytea, a partition whose name needs quoting), retain=12.
 */
@ExtendWith(MotoExtension.class)
class PartitionRetentionIT {
    private static final String DB = "kfood_retention_it";
    private static final String TABLE = "archive_events";

    private final MutableClock clock = new MutableClock(Instant.now());
    private final RecordingNotifier notifier = new RecordingNotifier();
    private Moto moto;
    private ArchiveStore store;

    @BeforeEach
    void seed(Moto moto) throws SQLException {
        this.moto = moto;
        moto.seedPlatform();
        store = DatabaseCareHandler.archive(
                TestOps.of("DatabaseCareFunction", moto.env(Map.of()), clock, log(), new RecordingMetrics()),
                DemoPlatform.BACKUP_BUCKET);
        DemoDatabase.recreate(DB, false, clock.instant());
        try (Connection c = as("postgres");
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + TABLE + " (id bigint NOT NULL, note text, payload bytea,"
                    + " created_at timestamptz NOT NULL) PARTITION BY RANGE (created_at)");
            st.execute("ALTER TABLE " + TABLE + " OWNER TO " + DemoDatabase.OWNER_ROLE);
            for (int m = -15; m <= 0; m++) {
                LocalDate from = month(m);
                String name = m == -15 ? "\"" + TABLE + " " + from + "\"" : partition(m); // a name that needs quoting
                st.execute("CREATE TABLE " + name + " PARTITION OF " + TABLE + " FOR VALUES FROM ('" + from
                        + " 00:00:00+00') TO ('" + from.plusMonths(1) + " 00:00:00+00')");
                st.execute("ALTER TABLE " + name + " OWNER TO " + DemoDatabase.OWNER_ROLE);
                st.execute("INSERT INTO " + TABLE + " VALUES (" + (100 + m)
                        + ", 'said \"hi\", then\nleft', '\\x00ff27'::bytea, '"
                        + from + " 10:00:00+00'), (" + (200 + m) + ", NULL, NULL, '" + from + " 11:00:00+00'), ("
                        + (300 + m) + ", '', '\\x'::bytea, '" + from.plusDays(9) + " 23:59:59+00')");
            }
        }
    }

    private OpsLog log() {
        return new OpsLog("DatabaseCareFunction", clock, new PrintStream(OutputStream.nullOutputStream()));
    }

    private LocalDate month(int plus) {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC)
                .withDayOfMonth(1)
                .plusMonths(plus);
    }

    private String partition(int plus) {
        LocalDate m = month(plus);
        return TABLE + "_" + m.getYear() + "_" + String.format("%02d", m.getMonthValue());
    }

    private static Connection as(String user) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + DB, p);
    }

    private DatabaseCare care(ArchiveStore archive, String... vars) {
        List<String> all = new ArrayList<>(List.of(
                "DB_SECRET_ARN",
                "arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:care",
                "PARTITIONED_TABLES",
                TABLE + ":monthly:1:retain=12",
                "BACKUP_BUCKET",
                DemoPlatform.BACKUP_BUCKET));
        all.addAll(List.of(vars));
        return new DatabaseCare(
                CareConfig.from(TestOps.env(all.toArray(String[]::new))),
                new SecretCache(arn -> "{}", clock, Duration.ZERO),
                new DatabaseCare.Stores(when -> OptionalDouble.empty(), Optional.of(archive)),
                notifier,
                new RecordingMetrics(),
                log(),
                clock);
    }

    private DatabaseCare.TableOutcome run(ArchiveStore archive, boolean dryRun) throws SQLException {
        try (Connection c = as(DemoDatabase.CARE_ROLE)) {
            return care(archive)
                    .run(c, dryRun, CompletableFuture.completedFuture(OptionalDouble.empty()))
                    .partitions()
                    .getFirst();
        }
    }

    private static List<String> tables() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = as("postgres");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT relname FROM pg_class WHERE relname LIKE '" + TABLE
                        + "%' AND relkind = 'r' ORDER BY 1")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** The partition's rows as COPY writes them: what its archive must hold, byte for byte. */
    private static byte[] copy(String quotedName) throws Exception {
        try (Connection c = as("postgres")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            c.unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyOut("COPY " + quotedName + " TO STDOUT (FORMAT csv, HEADER true)", out);
            return out.toByteArray();
        }
    }

    private byte[] archived(String name) throws IOException {
        S3Client s3 = moto.aws().build(S3Client.builder().forcePathStyle(true), "S3");
        try (InputStream in = new GZIPInputStream(s3.getObject(b ->
                b.bucket(DemoPlatform.BACKUP_BUCKET).key(PartitionRetention.prefix(DB, spec()) + name + ".csv.gz")))) {
            return in.readAllBytes();
        }
    }

    private static PartitionSpec spec() {
        return PartitionSpec.parse(TABLE + ":monthly:1:retain=12").getFirst();
    }

    @Test
    void theFirstRunListsTheNextArchivesAndDropsThreeVerifiedAndNothingMoreAfter() throws Exception {
        String quoted = TABLE + " " + month(-15);
        byte[] oldest = copy("\"" + quoted + "\"");
        byte[] second = copy(partition(-14));
        int before = tables().size();

        DatabaseCare.TableOutcome first = run(store, false);
        assertThat(first.archived()).isEmpty();
        assertThat(first.wouldArchive()).hasSize(3).first().asString().startsWith(quoted + " (~");
        assertThat(tables()).hasSize(before + 1); // next month created, nothing detached
        assertThat(notifier.sent.getLast().facts().get("Would archive from public." + TABLE))
                .endsWith("(retain's first run only lists: the next run archives them)");

        DatabaseCare.TableOutcome then = run(store, false);
        assertThat(then.archived())
                .hasSize(3)
                .allSatisfy(a -> assertThat(a)
                        .contains(" 3 rows, ")
                        .contains("s3://" + DemoPlatform.BACKUP_BUCKET + "/partitions/"));
        assertThat(tables())
                .doesNotContain(quoted, partition(-14), partition(-13))
                .contains(partition(-12), partition(-1));
        assertThat(archived(quoted)).isEqualTo(oldest);
        assertThat(archived(partition(-14))).isEqualTo(second);
        S3Client s3 = moto.aws().build(S3Client.builder().forcePathStyle(true), "S3");
        JsonNode manifest = Json.parseEmbedded(s3.getObjectAsBytes(b -> b.bucket(DemoPlatform.BACKUP_BUCKET)
                        .key(PartitionRetention.prefix(DB, spec()) + partition(-14) + ".json"))
                .asUtf8String());
        assertThat(manifest.path("rows").asLong()).isEqualTo(3);
        assertThat(manifest.path("lines").asLong()).isEqualTo(5); // a header, three rows, one newline inside a value
        assertThat(manifest.path("bounds").asText()).startsWith("FOR VALUES FROM ('" + month(-14));
        assertThat(manifest.path("columns").toString()).contains("payload bytea");
        // what the JSON says is on the object's version too, as its tags
        var tags = s3.getObjectTagging(b -> b.bucket(DemoPlatform.BACKUP_BUCKET)
                        .key(manifest.path("key").asText())
                        .versionId(manifest.path("versionId").asText()))
                .tagSet();
        assertThat(tags).anySatisfy(t -> {
            assertThat(t.key()).isEqualTo("sha256");
            assertThat(t.value()).isEqualTo(manifest.path("sha256").asText());
        });

        DatabaseCare.TableOutcome again = run(store, false);
        assertThat(again.archived()).isEmpty();
        assertThat(again.wouldArchive()).isEmpty();
    }

    @Test
    void aMonthOfSeveralMebibytesStreamsThroughTheMultipartUploadAndReadsBackEqual() throws Exception {
        try (Connection c = as("postgres");
                Statement st = c.createStatement()) {
            // hex text compresses to about half: some 3 MB of gzip, over the SDK's 1 MiB "100 Continue" threshold
            st.execute("INSERT INTO " + TABLE
                    + " SELECT 1000 + i, repeat(md5(i::text), 3), decode(md5(i::text), 'hex')," + " timestamptz '"
                    + month(-13) + " 00:00:00+00' + i * interval '1 second' FROM generate_series(1, 60000) i");
        }
        byte[] big = copy(partition(-13));
        run(store, false);
        DatabaseCare.TableOutcome then = run(store, false);
        assertThat(then.archived()).anySatisfy(a -> assertThat(a).startsWith(partition(-13) + ": 60003 rows, "));
        assertThat(archived(partition(-13))).isEqualTo(big);
    }

    /** The bucket as it is, but each read back answered by {@code read}. */
    private ArchiveStore readingBack(ReadBack read) {
        return new ArchiveStore() {
            @Override
            public Upload upload(String key, Map<String, String> metadata) {
                return store.upload(key, metadata);
            }

            @Override
            public InputStream read(String key) throws IOException {
                return read.read(key);
            }

            @Override
            public void tag(String key, String versionId, Map<String, String> tags) {
                store.tag(key, versionId, tags);
            }

            @Override
            public void putText(String key, String text) {
                store.putText(key, text);
            }

            @Override
            public Optional<String> text(String key) {
                return store.text(key);
            }

            @Override
            public String where(String key) {
                return store.where(key);
            }
        };
    }

    interface ReadBack {
        InputStream read(String key) throws IOException;
    }

    private static InputStream gzipped(byte[] csv) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(csv);
        }
        return new ByteArrayInputStream(bytes.toByteArray());
    }

    /** The bucket as it is, but every read back answers other bytes than were written. */
    private ArchiveStore corruptedOnRead() {
        return readingBack(key -> gzipped("id,note\n1,changed\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void anArchiveThatDoesNotReadBackKeepsItsPartitionAndTheNextRunFinishesIt() throws Exception {
        run(store, false); // the first run only lists
        int before = tables().size();

        DatabaseCare.TableOutcome broken = run(corruptedOnRead(), false);

        assertThat(broken.archived()).isEmpty();
        assertThat(tables()).hasSize(before); // detached, every one kept
        assertThat(notifier.sent.getLast().facts().values())
                .anyMatch(v -> v.contains("detached and kept, not dropped") && v.contains("does not match"));

        DatabaseCare.TableOutcome resumed = run(store, false);
        assertThat(resumed.archived()).hasSize(3);
        assertThat(tables()).hasSize(before - 3);
    }

    @Test
    void aDryRunListsAndChangesNothing() throws Exception {
        run(store, false);
        int before = tables().size();
        DatabaseCare.TableOutcome dry = run(store, true);
        assertThat(dry.wouldArchive()).hasSize(3);
        assertThat(dry.archived()).isEmpty();
        assertThat(tables()).hasSize(before);
    }

    private Object restore(ArchiveStore archive, String json) throws SQLException {
        // the handler's connection is the secret's: here the care role's own, as the run's
        DatabaseCare care = care(archive);
        try (Connection c = as(DemoDatabase.CARE_ROLE)) {
            return care.restoreWith(c, PartitionRestore.parse(Json.parseEmbedded(json), List.of(spec())));
        }
    }

    @Test
    void anArchivedMonthComesBackRowForRowAndAttachesOnRequest() throws Exception {
        byte[] original = copy(partition(-13));
        run(store, false);
        run(store, false); // archived and dropped
        assertThat(tables()).doesNotContain(partition(-13));

        PartitionRestore.Restored aside = (PartitionRestore.Restored) restore(
                store,
                "{\"action\": \"restore-partition\", \"table\": \"" + TABLE + "\", \"partition\": \"" + partition(-13)
                        + "\", \"into\": \"restored month\"}");
        assertThat(aside.rows()).isEqualTo(3);
        assertThat(copy("\"restored month\"")).isEqualTo(original);

        PartitionRestore.Restored back = (PartitionRestore.Restored) restore(
                store,
                "{\"action\": \"restore-partition\", \"table\": \"" + TABLE + "\", \"partition\": \"" + partition(-13)
                        + "\", \"attach\": true}");
        assertThat(back.attached()).isTrue();
        try (Connection c = as("postgres");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM " + TABLE + " WHERE created_at >= '" + month(-13)
                        + "' AND created_at < '" + month(-12) + "'")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(3); // reads through the parent again
        }
    }

    @Test
    void anArchiveThatDoesNotMatchItsManifestRestoresNothing() throws Exception {
        run(store, false);
        run(store, false);
        int before = tables().size();
        String json = "{\"action\": \"restore-partition\", \"table\": \"" + TABLE + "\", \"partition\": \""
                + partition(-14) + "\"}";
        // the real archive with one value changed: COPY takes its three rows, the checksum does not
        ArchiveStore altered = readingBack(key -> {
            try (InputStream in = new GZIPInputStream(store.read(key))) {
                return gzipped(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                        .replace("hi", "ho")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        });
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> restore(altered, json))
                .hasMessageContaining("restored 3 rows")
                .hasMessageContaining("nothing kept");
        assertThat(tables()).hasSize(before); // the half-made table rolled back
    }
}
