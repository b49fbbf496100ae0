package org.blindspot.kernels;

/**
 * The Cauchy scan's breakpoints in the order the projected path passes them (as the Fortran's {@code hpsolb},
 * Byrd, Lu, Nocedal and Zhu 1995, section 4): a pool of (breakpoint, variable) pairs that the scan's first pass
 * fills, of which only those at or below a threshold sit in a binary min-heap. When the heap runs empty, the next
 * refill moves the breakpoints at or below the next threshold (four times the last, or more until one
 * qualifies) out of the pool. A scan usually passes a few dozen of several hundred breakpoints, and this
 * branch-free partition is much cheaper than heapifying them all.
 *
 * <p>Breakpoints are non-negative (a distance to a bound over a speed), which the heap's child choice relies on
 * ({@link SignBits#belowNonNegative}); equal breakpoints leave in the order a heap built from the pool's order
 * gives, so a scan's result depends only on its inputs. Scratch for rows of {@code n} variables; not
 * thread-safe.
 */
final class BreakpointHeap {
    /** The pool, filled by the first pass: breakpoints and their variables, {@code [0, pool)} in use. */
    final double[] poolT;
    final int[] poolI;
    /** The heap; one spare entry, so that a right child can be read before it is known to exist. */
    private final double[] heapT;
    private final int[] heapI;
    private int pool;
    private int size;
    private double threshold;

    BreakpointHeap(int n) {
        this.poolT = new double[n];
        this.poolI = new int[n];
        this.heapT = new double[n + 1];
        this.heapI = new int[n];
    }

    /** Starts a scan over the first {@code breaks} pool entries, with the first refill's threshold. */
    void start(int breaks, double firstThreshold) {
        pool = breaks;
        size = 0;
        threshold = firstThreshold;
    }

    /** Refills the heap from the pool if it is empty; the pool must not be. */
    void refillIfEmpty() {
        if (size == 0) {
            refill();
        }
    }

    /** The smallest breakpoint in the heap. */
    double minTime() {
        return heapT[0];
    }

    /** The variable of the smallest breakpoint in the heap. */
    int minVariable() {
        return heapI[0];
    }

    /** Removes the smallest breakpoint. */
    void popMin() {
        heapT[0] = heapT[size - 1];
        heapI[0] = heapI[size - 1];
        size--;
        siftDown(0, size);
    }

    /**
     * Moves the breakpoints at or below the threshold from the pool into the heap (quadrupling the threshold
     * until at least one qualifies), keeps the rest at the front of the pool in their order, and heapifies.
     */
    private void refill() {
        int heap = 0;
        while (heap == 0) {
            int kept = 0;
            for (int k = 0; k < pool; k++) {
                double tk = poolT[k];
                int ik = poolI[k];
                int in = tk <= threshold ? 1 : 0;
                heapT[heap] = tk;
                heapI[heap] = ik;
                poolT[kept] = tk;
                poolI[kept] = ik;
                heap += in;
                kept += 1 - in;
            }
            threshold *= 4;
        }
        pool -= heap;
        size = heap;
        for (int k = size / 2 - 1; k >= 0; k--) {
            siftDown(k, size);
        }
    }

    /** Restores the heap below {@code k}; the smaller child is chosen from the sign bits. */
    private void siftDown(int k, int size) {
        double t = heapT[k];
        int idx = heapI[k];
        while (true) {
            int child = 2 * k + 1;
            if (child >= size) {
                break;
            }
            int hasRight = child + 1 < size ? 1 : 0;
            child += hasRight & SignBits.belowNonNegative(heapT[child + 1], heapT[child]);
            if (heapT[child] >= t) {
                break;
            }
            heapT[k] = heapT[child];
            heapI[k] = heapI[child];
            k = child;
        }
        heapT[k] = t;
        heapI[k] = idx;
    }
}
