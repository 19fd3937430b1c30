/**
 * JMH benchmarks of the engine, with raw baselines measured in the same suite so every figure reads as a fraction of
 * what the machine can do.
 */
package io.loglab.jmh;
