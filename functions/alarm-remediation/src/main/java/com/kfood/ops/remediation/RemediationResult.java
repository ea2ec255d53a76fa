package com.kfood.ops.remediation;

import java.util.List;

/** AlarmRemediationFunction's result: one decision per alarm in the event. */
public record RemediationResult(List<Decision> decisions) {}
