package com.kfood.ops.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SlaTest {
    private static final long THIRTY_DAYS = 30 * 1440;

    @Test
    void aThirtyMinuteOutageInAThirtyDayMonthIs99Point93Percent() {
        Sla sla = new Sla(THIRTY_DAYS - 30, THIRTY_DAYS, THIRTY_DAYS, 99.9);

        assertThat(Format.percent(sla.availabilityPercent(), 2)).isEqualTo("99.93 %");
        assertThat(sla.availabilityPercent()).isCloseTo(99.930556, within(1e-6));
        assertThat(sla.badMinutes()).isEqualTo(30);
        // 99.9 % of 43,200 minutes allows 43.2 minutes down: 13.2 left, 69 % of the budget burnt
        assertThat(sla.budgetMinutes()).isCloseTo(43.2, within(1e-9));
        assertThat(sla.budgetLeftMinutes()).isCloseTo(13.2, within(1e-9));
        assertThat(sla.burnRate()).isCloseTo(30 / 43.2, within(1e-9));
        assertThat(sla.compliant()).isTrue();
        assertThat(sla.verdict()).isEqualTo(Verdict.WATCH);
    }

    @Test
    void minutesWithoutADatapointAreNotMeasuredNeverUpOrDown() {
        // two hours without data, nothing down: 100 % of what was measured, 120 minutes apart
        Sla sla = new Sla(THIRTY_DAYS - 120, THIRTY_DAYS - 120, THIRTY_DAYS, 99.9);

        assertThat(sla.availabilityPercent()).isEqualTo(100.0);
        assertThat(sla.notMeasuredMinutes()).isEqualTo(120);
        assertThat(sla.badMinutes()).isZero();
    }

    @Test
    void anOutageBeyondTheBudgetIsNotCompliantAndNeedsAPerson() {
        Sla sla = new Sla(THIRTY_DAYS - 60, THIRTY_DAYS, THIRTY_DAYS, 99.9);

        assertThat(sla.compliant()).isFalse();
        assertThat(sla.budgetLeftMinutes()).isCloseTo(-16.8, within(1e-9));
        assertThat(sla.verdict()).isEqualTo(Verdict.ACT);
    }

    @Test
    void nothingMeasuredIsUnknownNotAHundredPercent() {
        Sla sla = new Sla(0, 0, THIRTY_DAYS, 99.9);

        assertThat(sla.availabilityPercent()).isNaN();
        assertThat(sla.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(Format.percent(sla.availabilityPercent(), 3)).isEqualTo("no data");
    }

    @Property
    void theBudgetLeftIsTheBudgetLessTheDowntime(
            @ForAll @IntRange(min = 0, max = 43_200) int down, @ForAll @IntRange(min = 0, max = 1_000) int unmeasured) {
        long measured = THIRTY_DAYS - unmeasured;
        Sla sla = new Sla(Math.max(0, measured - down), measured, THIRTY_DAYS, 99.9);

        assertThat(sla.availabilityPercent()).isBetween(0.0, 100.0);
        assertThat(sla.budgetLeftMinutes()).isCloseTo(sla.budgetMinutes() - sla.badMinutes(), within(1e-6));
        assertThat(sla.notMeasuredMinutes()).isEqualTo(unmeasured);
        assertThat(sla.compliant()).isEqualTo(sla.badMinutes() <= sla.budgetMinutes() + 1e-9);
    }
}
