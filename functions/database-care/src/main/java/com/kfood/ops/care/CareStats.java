package com.kfood.ops.care;

/**
 * The database's health in numbers, as the result and the notification give them.
 *
 * @param connections "used of available"
 * @param dailyGrowthBytes the size's growth since 24 h ago; null when no size was recorded then
 */
record CareStats(
        int invalidIndexes,
        int tablesBehindOnVacuum,
        long xidAge,
        double xidAgePercentOfFreezeMaxAge,
        long longTransactions,
        long idleInTransaction,
        String connections,
        double connectionsUsedPercent,
        long sizeBytes,
        Long dailyGrowthBytes) {}
