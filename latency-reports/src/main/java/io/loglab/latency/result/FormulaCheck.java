package io.loglab.latency.result;

/**
 * A sizing formula from the reference article, its inputs as measured, what it predicts, and what was measured.
 *
 * @param name      short id, e.g. "throughput-bound".
 * @param formula   the formula as checked (corrected where the article's does not balance its units).
 * @param inputs    the measured inputs, in words with units.
 * @param predicted what the formula predicts.
 * @param measured  what the run measured, NaN when it could not.
 * @param unit      of predicted and measured.
 * @param holds     whether the measurement agrees with the prediction within the stated tolerance.
 * @param note      how to read the comparison, and its tolerance.
 */
public record FormulaCheck(
    String name,
    String formula,
    String inputs,
    double predicted,
    double measured,
    String unit,
    boolean holds,
    String note)
{
}
