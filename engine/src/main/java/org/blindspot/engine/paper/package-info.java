/**
 * The paper's experiments (Szegedy et al. 2014): the transfer of adversarial examples between
 * models (Tables 2 and 4), the end-to-end reproduction of Tables 1-4 and its report beside the
 * paper's numbers.
 */
package org.blindspot.engine.paper;
