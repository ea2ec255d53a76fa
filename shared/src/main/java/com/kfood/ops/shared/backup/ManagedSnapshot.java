package com.kfood.ops.shared.backup;

import java.time.Instant;
import java.util.Map;

/** A snapshot as the prune sees it: what RDS's describe response says, tags included. */
public record ManagedSnapshot(
        String id, String db, String type, String status, Instant created, int allocatedGb, Map<String, String> tags) {}
