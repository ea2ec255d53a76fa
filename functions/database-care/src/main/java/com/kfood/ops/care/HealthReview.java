package com.kfood.ops.care;

import static com.kfood.ops.care.DatabaseCare.timed;

import com.kfood.ops.shared.Futures;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Future;

/**
 * The database's health reviewed: invalid indexes, vacuum behind, transaction-ID age, long
 * transactions, connections and size; each problem a finding, the numbers in {@link CareStats}.
 */
record HealthReview(CareConfig config) {
    CareStats review(Connection c, List<Finding> findings, Map<String, Long> queryMs, Future<OptionalDouble> yesterday)
            throws SQLException {
        int invalid = invalidIndexes(c, findings, queryMs);
        int behind = vacuum(c, findings, queryMs);
        HealthQueries.Xid xid = xid(c, findings, queryMs);
        HealthQueries.Sessions sessions = sessions(c, findings, queryMs);
        HealthQueries.Connections connections = connections(c, findings, queryMs);
        long size = timed(queryMs, "size", () -> HealthQueries.sizeBytes(c));
        OptionalDouble sizeDayAgo = Futures.join(yesterday, "yesterday's size");
        return new CareStats(
                invalid,
                behind,
                xid.age(),
                Math.round(xid.percentOfFreezeMaxAge() * 10) / 10.0,
                sessions.longTransactions(),
                sessions.idleInTransaction(),
                connections.used() + " of " + connections.available(),
                Math.round(connections.percent() * 10) / 10.0,
                size,
                sizeDayAgo.isPresent() ? Math.round(size - sizeDayAgo.getAsDouble()) : null);
    }

    private static int invalidIndexes(Connection c, List<Finding> findings, Map<String, Long> queryMs)
            throws SQLException {
        List<String> invalid = timed(queryMs, "invalid-indexes", () -> HealthQueries.invalidIndexes(c));
        if (!invalid.isEmpty()) {
            findings.add(new Finding(
                    "indexes",
                    Finding.Level.ACT,
                    "invalid index(es), costing writes and helping no read: " + String.join(", ", invalid)
                            + " (drop and CREATE INDEX CONCURRENTLY again)"));
        }
        return invalid.size();
    }

    private static int vacuum(Connection c, List<Finding> findings, Map<String, Long> queryMs) throws SQLException {
        List<HealthQueries.Vacuum> tables = timed(queryMs, "vacuum", () -> HealthQueries.vacuum(c));
        List<HealthQueries.Vacuum> behind =
                tables.stream().filter(HealthQueries.Vacuum::behind).toList();
        for (HealthQueries.Vacuum v : behind) {
            findings.add(new Finding(
                    "vacuum",
                    Finding.Level.WATCH,
                    v.table() + ": " + v.dead() + " dead rows ("
                            + Math.round(v.deadRatio() * 1000) / 10.0 + " %), past autovacuum's trigger of "
                            + v.threshold() + " + "
                            + v.scaleFactor() + " x " + v.live() + "; last vacuum " + ago(v.secondsSinceVacuum())
                            + ", last analyze "
                            + ago(v.secondsSinceAnalyze())));
        }
        return behind.size();
    }

    private static HealthQueries.Xid xid(Connection c, List<Finding> findings, Map<String, Long> queryMs)
            throws SQLException {
        HealthQueries.Xid xid = timed(queryMs, "xid-age", () -> HealthQueries.xid(c));
        if (xid.percentOfFreezeMaxAge() >= 100) {
            findings.add(new Finding(
                    "wraparound",
                    xid.age() > 1_000_000_000L ? Finding.Level.ACT : Finding.Level.WATCH,
                    "transaction-ID age " + xid.age() + " is past autovacuum_freeze_max_age " + xid.freezeMaxAge()
                            + ": an anti-wraparound vacuum is due (wraparound at about 2,100,000,000)"));
        }
        return xid;
    }

    private HealthQueries.Sessions sessions(Connection c, List<Finding> findings, Map<String, Long> queryMs)
            throws SQLException {
        HealthQueries.Sessions sessions =
                timed(queryMs, "sessions", () -> HealthQueries.sessions(c, config.longTransaction()));
        if (sessions.longTransactions() + sessions.idleInTransaction() > 0) {
            findings.add(new Finding(
                    "sessions",
                    Finding.Level.WATCH,
                    sessions.longTransactions() + " transaction(s) running and "
                            + sessions.idleInTransaction() + " idle in transaction for more than "
                            + config.longTransaction().toSeconds()
                            + " s (the oldest " + sessions.oldestTransactionSeconds() + " s): they hold back vacuum"));
        }
        return sessions;
    }

    private static HealthQueries.Connections connections(
            Connection c, List<Finding> findings, Map<String, Long> queryMs) throws SQLException {
        HealthQueries.Connections connections = timed(queryMs, "connections", () -> HealthQueries.connections(c));
        if (connections.percent() >= 80) {
            findings.add(new Finding(
                    "connections",
                    connections.percent() >= 95 ? Finding.Level.ACT : Finding.Level.WATCH,
                    connections.used() + " of " + connections.available() + " connections in use"));
        }
        return connections;
    }

    private static String ago(Long seconds) {
        return seconds == null ? "never" : seconds < 7200 ? (seconds / 60) + " min ago" : (seconds / 3600) + " h ago";
    }
}
