package dev.sluice.operator;

/** @param message short outcome for the progress line, e.g. "INSERT 13500000" or "AUC 0.87" */
public record OperatorResult(String message, long rows) {
}
