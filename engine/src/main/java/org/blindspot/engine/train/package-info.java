/**
 * Training the paper's models: a fast minibatch trainer (Adam), the paper's full-batch L-BFGS
 * "until convergence", and the unsupervised sparse autoencoder of AE400-10.
 */
package org.blindspot.engine.train;
