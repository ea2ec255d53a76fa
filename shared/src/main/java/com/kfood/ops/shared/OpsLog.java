package com.kfood.ops.shared;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Clock;

/**
 * Structured logging: one JSON object per line with the request id, so CloudWatch Logs Insights
 * can filter on any field. Deliberately small: a logging framework would cost more at cold start
 * than every other part of a function, and Lambda's JSON log format needs nothing more than this.
 * Never give it a secret: values are written as they are.
 */
public final class OpsLog {
    private final String function;
    private final Clock clock;
    private final PrintStream out;
    private volatile String requestId = "-";

    public OpsLog(String function, Clock clock) {
        this(function, clock, System.out);
    }

    public OpsLog(String function, Clock clock, PrintStream out) {
        this.function = function;
        this.clock = clock;
        this.out = out;
    }

    public void requestId(String requestId) {
        this.requestId = requestId == null ? "-" : requestId;
    }

    public void info(String message, Object... fields) {
        write("INFO", message, fields);
    }

    public void warn(String message, Object... fields) {
        write("WARN", message, fields);
    }

    public void error(String message, Object... fields) {
        write("ERROR", message, fields);
    }

    /** {@code fields} are name/value pairs. */
    private void write(String level, String message, Object... fields) {
        ObjectNode line = Json.object();
        line.put("timestamp", clock.instant().toString());
        line.put("level", level);
        line.put("function", function);
        line.put("requestId", requestId);
        line.put("message", Text.printable(message, 2000));
        for (int i = 0; i + 1 < fields.length; i += 2) {
            Object value = fields[i + 1];
            if (value instanceof String s) {
                line.put(String.valueOf(fields[i]), Text.printable(s, 2000));
            } else {
                line.set(String.valueOf(fields[i]), Json.tree(value));
            }
        }
        out.println(Json.write(line));
    }
}
