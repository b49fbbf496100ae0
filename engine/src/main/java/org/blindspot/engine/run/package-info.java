/**
 * Run folders: records written as they finish ({@code records.jsonl}, {@code adversarial.rows}),
 * resume of an interrupted run, and the final {@code summary.json}, {@code adversarial.npy} and
 * image grids.
 */
package org.blindspot.engine.run;
