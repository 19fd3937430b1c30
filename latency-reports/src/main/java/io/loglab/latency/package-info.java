/**
 * Fixed-rate load harness over the embedded engine, HdrHistogram recording and the report generator.
 */
package io.loglab.latency;
