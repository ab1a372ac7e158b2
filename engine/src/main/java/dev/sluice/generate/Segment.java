package dev.sluice.generate;

/** The behaviour a generated customer follows; written to raw_customers.hidden_segment as the answer key. */
public enum Segment {
    HIGH_VALUE_TRAVELERS("High-Value Travelers", 0.15),
    STABLE_MID_SPENDERS("Stable Mid-Spenders", 0.40),
    BUDGET_CONSCIOUS("Budget-Conscious", 0.25),
    DECLINING("Declining", 0.10),
    NEW_AND_GROWING("New & Growing", 0.10);

    private final String label;
    private final double share;

    Segment(String label, double share) {
        this.label = label;
        this.share = share;
    }

    public String label() {
        return label;
    }

    /** Expected fraction of customers in this segment. */
    public double share() {
        return share;
    }
}
