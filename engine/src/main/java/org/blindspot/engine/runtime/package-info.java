/** What the engine runs on: ND4J backend, device, BLAS, threads, and the software version. */
package org.blindspot.engine.runtime;
