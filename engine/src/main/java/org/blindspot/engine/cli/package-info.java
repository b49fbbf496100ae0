/**
 * The command line: {@code blindspot info | train | eval | ...}, parsed with picocli. What a user
 * must see (progress, results, errors) is printed here and nowhere else.
 */
package org.blindspot.engine.cli;
