package com.kfood.ops.snapshot;

/**
 * Where the uploads are and where their backup is: {@code source} and {@code prefix} name the live
 * uploads (only ever read), {@code backup} the backup bucket.
 */
public record UploadsBuckets(String source, String prefix, String backup) {}
