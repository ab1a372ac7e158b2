package dev.sluice.generate;

import java.time.LocalDate;

/**
 * What to generate: {@code customers} distinct people (about 1% of them get a second, duplicate customer
 * record on top), {@code months} whole months of transactions ending on {@code endDate} inclusive, all drawn
 * from {@code seed}. Equal specs give identical data.
 */
public record RetailSpec(int customers, int months, long seed, LocalDate endDate) {

    public RetailSpec {
        if (customers < 1) throw new IllegalArgumentException("customers must be at least 1, got " + customers);
        // The upper bounds keep customer ids and per-customer transaction numbers inside their id ranges.
        if (customers > 100_000_000) throw new IllegalArgumentException("customers must be at most 100,000,000");
        if (months < 1 || months > 600) throw new IllegalArgumentException("months must be between 1 and 600, got " + months);
        if (endDate == null) throw new IllegalArgumentException("endDate is required");
    }

    /** First day of the transaction window. */
    public LocalDate startDate() {
        return endDate.plusDays(1).minusMonths(months);
    }
}
