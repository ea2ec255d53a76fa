package com.kfood.ops.shared;

/** How loudly a notification speaks; mapped to Chatbot's colours and the subject's prefix. */
public enum Severity {
    INFO,
    SUCCESS,
    WARNING,
    CRITICAL;

    String subjectPrefix() {
        return switch (this) {
            case INFO -> "[INFO]";
            case SUCCESS -> "[OK]";
            case WARNING -> "[WARN]";
            case CRITICAL -> "[ALERT]";
        };
    }
}
