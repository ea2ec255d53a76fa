package com.kfood.ops.snapshot;

import java.util.List;

/** SnapshotFunction's answer to RDS's snapshot event: the copy it started in the DR region, if any. */
public record DrCopyResult(String snapshot, String drRegion, List<DrCopies.Copy> copies, String detail) {}
