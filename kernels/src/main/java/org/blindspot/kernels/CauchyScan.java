package org.blindspot.kernels;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The generalised Cauchy point: the first local minimiser of the quadratic model
 * {@code q(x) = g^T (x - x_k) + 1/2 (x - x_k)^T B (x - x_k)} along the projected steepest-descent path
 * {@code x(t) = P(x_k - t g)}, with {@code B = theta I - W M W^T} in compact form.
 *
 * <p>References: Byrd, Lu, Nocedal and Zhu (1995), section 4, Algorithm CP and eq. 4.2-4.9; the
 * Fortran routine {@code cauchy} of L-BFGS-B 3.0 (Zhu, Byrd, Lu, Nocedal; Morales, Nocedal 2011),
 * whose order of operations this follows so that results agree with SciPy.
 *
 * <p>The scan is sequential in the breakpoints, so it works on one row at a time on host arrays; the
 * breakpoints are visited in increasing order ({@link BreakpointHeap}: first those below {@code 2 dt_min},
 * twice the minimiser of the first segment, then the next ones below a threshold four times larger, and so on).
 * The first pass over the variables is written without
 * data-dependent branches (the breakpoint is {@code max(-sign(g') (x - l), sign(g') (u - x)) / |g'|} with
 * {@code g' = -g}: the distance to the bound in the way over the speed), since the variables' cases alternate
 * unpredictably. For a row in an open box (all bounds finite, {@code l < u}) the solver does that pass while it
 * accepts the line search's point ({@link #accept}), in the same sweep over the variables. Departure from the
 * paper: none in substance; {@code f''} is kept above {@code eps * f''_0} as in the Fortran, against cancellation.
 *
 * <p>An instance is scratch space for rows of {@code n} variables and histories of capacity {@code m};
 * it is not thread-safe (use one per thread).
 */
public final class CauchyScan {
    /** Variable state after the scan: free (between its bounds, or bounded but not reached). */
    public static final byte FREE = 0;
    /** Variable state after the scan: at its lower bound. */
    public static final byte AT_LOWER = 1;
    /** Variable state after the scan: at its upper bound. */
    public static final byte AT_UPPER = 2;
    /** Variable state: fixed ({@code l == u}). */
    public static final byte FIXED = 3;

    private static final double EPSMCH = Math.ulp(1.0);

    private final int n;
    private final int m;
    private final double[] d;
    private final BreakpointHeap breakpoints;
    /** The breakpoint pool of {@link #breakpoints}, which the first pass fills. */
    private final double[] poolT;
    private final int[] poolI;
    private final double[] p;
    private final double[] v;
    private final double[] wbp;
    private final int[] slotOffset;
    private final int[] moving;
    private final double[] movingD;
    /** Output: the Cauchy point, length n. */
    private final double[] xcp;
    /** Output: {@code c = W^T (xcp - x)}, length 2m. */
    private final double[] c;
    /** Output: per-variable state at the Cauchy point, length n. */
    private final byte[] where;
    /** Scratch of {@link #passCorrection}: {@code w_b^T M c}, {@code w_b^T M p}, {@code w_b^T M w_b}. */
    private final double[] correction = new double[3];
    /** What the first pass found: f', counts of moving variables and of breakpoints, whether the path ends. */
    private static final class FirstPass {
        double f1;
        int moving;
        int breaks;
        int movingWithoutBreak;
        boolean bounded;

        void set(double f1, int moving, int breaks, int movingWithoutBreak, boolean bounded) {
            this.f1 = f1;
            this.moving = moving;
            this.breaks = breaks;
            this.movingWithoutBreak = movingWithoutBreak;
            this.bounded = bounded;
        }
    }

    private final FirstPass firstPass = new FirstPass();
    /** The offset of the row whose first pass {@link #accept} prepared, -1 if none. */
    private int preparedOff = -1;
    private double acceptedCurvature;
    private double acceptedNorm;
    /** Statistics of the last scan: variables moving along the path, breakpoints passed. */
    private int movingCount;
    private int passedCount;

    /** Scratch for rows of {@code n} variables and histories of capacity {@code m}. */
    public CauchyScan(int n, int m) {
        this.n = n;
        this.m = m;
        this.d = new double[n];
        this.breakpoints = new BreakpointHeap(n);
        this.poolT = breakpoints.poolT;
        this.poolI = breakpoints.poolI;
        this.p = new double[2 * m];
        this.v = new double[2 * m];
        this.wbp = new double[2 * m];
        this.slotOffset = new int[m];
        this.moving = new int[n];
        this.movingD = new double[n];
        this.xcp = new double[n];
        this.c = new double[2 * m];
        this.where = new byte[n];
    }

    /** The Cauchy point of the last scan, length n (owned by this instance). */
    public double[] cauchyPoint() {
        return xcp;
    }

    /** {@code c = W^T (xcp - x)} of the last scan, length 2m (owned by this instance). */
    public double[] compactStep() {
        return c;
    }

    /** Per-variable state ({@link #FREE}, {@link #AT_LOWER}, ...) of the last scan (owned by this instance). */
    public byte[] variableStates() {
        return where;
    }

    /** Variables that moved along the projected path in the last scan (not fixed, not stuck at a bound). */
    public int movingVariables() {
        return movingCount;
    }

    /** Breakpoints the last scan passed: variables it took to a bound on the way to the Cauchy point. */
    public int breakpointsPassed() {
        return passedCount;
    }

    /**
     * Scans one row. Results in {@link #cauchyPoint()}, {@link #compactStep()}, {@link #variableStates()}.
     *
     * @param x       feasible point at {@code [off, off + n)}
     * @param g       gradient at x, same offsets
     * @param lower   lower bounds, same offsets
     * @param upper   upper bounds, same offsets
     * @param s       history steps, slots at {@code histOff + k n} (see {@link CompactProducts})
     * @param y       history gradient differences, same layout
     * @param head    slot of the oldest pair
     * @param col     number of pairs
     * @param theta   scaling of B
     * @param middle  the middle matrix M, symmetric, {@code 2m x 2m} row-major at {@code midOff}, compact layout
     */
    public void scan(double[] x, double[] g, double[] lower, double[] upper, int off,
                     double[] s, double[] y, int histOff, int head, int col, double theta,
                     double[] middle, int midOff) {
        scan(x, g, lower, upper, off, off, false, s, y, histOff, head, col, theta, middle, midOff);
    }

    /**
     * {@link #scan(double[], double[], double[], double[], int, double[], double[], int, int, int, double, double[],
     * int)} with the bounds at their own offset {@code boundOff} (rows may share one box); {@code prepared}: the
     * first pass over the variables was already done by {@link #accept} for this row's current point.
     */
    public void scan(double[] x, double[] g, double[] lower, double[] upper, int off, int boundOff, boolean prepared,
                     double[] s, double[] y, int histOff, int head, int col, double theta,
                     double[] middle, int midOff) {
        Arrays.fill(p, 0.0);
        Arrays.fill(c, 0.0);
        for (int j = 0; j < col; j++) {
            slotOffset[j] = histOff + ((head + j) % m) * n;
        }
        if (prepared) {
            if (preparedOff != off) {
                throw new IllegalStateException("the first pass was prepared for the row at " + preparedOff
                        + ", not at " + off);
            }
        } else {
            firstPassGeneral(x, g, lower, upper, off, boundOff);
        }
        preparedOff = -1;
        scanPath(x, lower, upper, off, boundOff, s, y, histOff, head, col, theta, middle, midOff);
    }

    /**
     * A line search's end: the trial point and its gradient become the iterate ({@code x, g} at {@code off}), the
     * step and gradient change go to {@code step} and {@code gradientChange} ({@code [0, n)}), and
     * {@link #acceptedCurvature()} and {@link #acceptedProjectedGradientNorm()} hold {@code s^T y} and the new
     * point's projected-gradient norm. For a row whose box is open ({@code openBox}: every bound finite,
     * {@code lower < upper}) the same sweep over the variables also does the next scan's first pass, while the new
     * point is in cache; that row's next {@link #scan} then passes {@code prepared = true}. The first pass is the
     * general one specialised: no variable is fixed and every moving variable has a finite breakpoint (the distance
     * to the bound ahead over the speed), so the breakpoint pool is the list of moving variables; integer 0/1 flags
     * from the sign bits ({@link SignBits}) and a bit mask choose the bound ahead, without data-dependent
     * branches. Its results are bit for bit those of the general pass. ({@code openBox} is the same for the whole
     * sweep, so the JIT compiles the loop once for each value.)
     */
    public void accept(double[] trial, double[] grad, int goff, double[] x, double[] g, int off, double[] lower,
                       double[] upper, int boundOff, boolean openBox, double[] step, double[] gradientChange) {
        double sy = 0;
        double projectedNorm = 0;
        double f1 = 0;
        int nmoving = 0;
        for (int i = 0; i < n; i++) {
            double xi = trial[off + i];
            double gi = grad[goff + i];
            double si = xi - x[off + i];
            double yi = gi - g[off + i];
            step[i] = si;
            gradientChange[i] = yi;
            sy += si * yi;
            x[off + i] = xi;
            g[off + i] = gi;
            double li = lower[boundOff + i];
            double ui = upper[boundOff + i];
            projectedNorm = Math.max(projectedNorm, ProjectedGradientNorm.term(xi, gi, li, ui));
            if (!openBox) {
                continue;
            }
            xcp[i] = xi;
            double neggi = -gi;
            int atLower = 1 - SignBits.positive(xi - li);
            int atUpper = 1 - SignBits.positive(ui - xi);
            int ahead = SignBits.positive(neggi);
            int behind = SignBits.negative(neggi);
            int stuckLower = atLower & (1 - ahead);
            int stuckUpper = (1 - atLower) & atUpper & (1 - behind);
            int moves = (ahead | behind) & (1 - stuckLower) & (1 - stuckUpper);
            double di = neggi * moves;
            d[i] = di;
            where[i] = (byte) (stuckLower * AT_LOWER | stuckUpper * AT_UPPER);
            long upperMask = -ahead;
            double bound = Double.longBitsToDouble((Double.doubleToRawLongBits(ui) & upperMask)
                    | (Double.doubleToRawLongBits(li) & ~upperMask));
            poolT[nmoving] = (bound - xi) / neggi;
            moving[nmoving] = i;
            nmoving += moves;
            f1 -= di * di;
        }
        acceptedCurvature = sy;
        acceptedNorm = projectedNorm;
        if (openBox) {
            System.arraycopy(moving, 0, poolI, 0, nmoving);
            firstPass.set(f1, nmoving, nmoving, 0, true);
            preparedOff = off;
        }
    }

    /** {@code s^T y} of the last {@link #accept}. */
    public double acceptedCurvature() {
        return acceptedCurvature;
    }

    /** The projected-gradient norm at the point the last {@link #accept} accepted. */
    public double acceptedProjectedGradientNorm() {
        return acceptedNorm;
    }

    /** The first pass for any bounds (infinite, one-sided, fixed variables). */
    private void firstPassGeneral(double[] x, double[] g, double[] lower, double[] upper, int off, int boundOff) {
        double f1 = 0;
        int nbreak = 0;
        int nmoving = 0;
        int movingWithoutBreak = 0;
        boolean bounded = true;
        for (int i = 0; i < n; i++) {
            double xi = x[off + i];
            double li = lower[boundOff + i];
            double ui = upper[boundOff + i];
            double neggi = -g[off + i];
            boolean fixed = ui - li <= 0;
            boolean atLower = xi - li <= 0;
            boolean atUpper = ui - xi <= 0;
            boolean bounded1 = li > Double.NEGATIVE_INFINITY | ui < Double.POSITIVE_INFINITY;
            boolean stuckLower = !fixed & atLower & neggi <= 0;
            boolean stuckUpper = !fixed & !atLower & atUpper & neggi >= 0;
            boolean stillFree = !fixed & !atLower & !atUpper & neggi == 0 & bounded1;
            boolean moves = !(fixed | stuckLower | stuckUpper | stillFree);
            int movesBit = moves ? 1 : 0;
            double di = neggi * movesBit;
            xcp[i] = xi;
            d[i] = di;
            where[i] = (byte) ((fixed ? FIXED : 0) | (stuckLower ? AT_LOWER : 0) | (stuckUpper ? AT_UPPER : 0));
            moving[nmoving] = i;
            nmoving += movesBit;
            f1 -= di * di;
            double sign = Math.copySign(1.0, neggi);
            double t = Math.max((li - xi) * sign, (ui - xi) * sign) / Math.abs(neggi);
            boolean breaks = moves & t < Double.POSITIVE_INFINITY;
            poolT[nbreak] = t;
            poolI[nbreak] = i;
            nbreak += breaks ? 1 : 0;
            boolean unbroken = moves & !breaks;
            movingWithoutBreak += unbroken ? 1 : 0;
            bounded &= !(unbroken & neggi != 0);
        }
        firstPass.set(f1, nmoving, nbreak, movingWithoutBreak, bounded);
    }

    /**
     * The rest of the scan, after the first pass: {@code p = W^T d}, then the segments of the path in increasing
     * breakpoint order until the quadratic's minimiser along the path.
     */
    private void scanPath(double[] x, double[] lower, double[] upper, int off, int boundOff, double[] s,
                          double[] y, int histOff, int head, int col, double theta, double[] middle, int midOff) {
        double f1 = firstPass.f1;
        int nmoving = firstPass.moving;
        int nbreak = firstPass.breaks;
        int movingWithoutBreak = firstPass.movingWithoutBreak;
        boolean bounded = firstPass.bounded;
        for (int t = 0; t < nmoving; t++) {
            movingD[t] = d[moving[t]];
        }
        CompactProducts.transposeTimesSubset(s, y, histOff, m, head, col, theta, n, moving, nmoving, movingD, p);
        movingCount = nmoving;
        passedCount = 0;
        if (nbreak == 0 && movingWithoutBreak == 0) {
            return;
        }
        double f2 = initialCurvature(f1, col, theta, middle, midOff);
        double f2Org = -theta * f1;
        double dtm = -f1 / f2;
        double tsum = 0;
        breakpoints.start(nbreak, dtm > 0 && dtm < Double.POSITIVE_INFINITY ? 2 * dtm : Double.POSITIVE_INFINITY);
        int nleft = nbreak;
        double tj = 0;
        while (nleft > 0) {
            breakpoints.refillIfEmpty();
            double tj0 = tj;
            tj = breakpoints.minTime();
            int ibp = breakpoints.minVariable();
            double dt = tj - tj0;
            if (dtm < dt) {
                break;
            }
            breakpoints.popMin();
            tsum += dt;
            nleft--;
            passedCount++;
            double dibp = d[ibp];
            d[ibp] = 0;
            double zibp;
            if (dibp > 0) {
                zibp = upper[boundOff + ibp] - x[off + ibp];
                xcp[ibp] = upper[boundOff + ibp];
                where[ibp] = AT_UPPER;
            } else {
                zibp = lower[boundOff + ibp] - x[off + ibp];
                xcp[ibp] = lower[boundOff + ibp];
                where[ibp] = AT_LOWER;
            }
            if (nleft == 0 && nbreak == n) {
                addScaled(c, dt, p, col);
                return;
            }
            double dibp2 = dibp * dibp;
            f1 = f1 + dt * f2 + dibp2 - theta * dibp * zibp;
            f2 = f2 - theta * dibp2;
            if (col > 0) {
                passCorrection(ibp, dibp, dt, s, y, col, theta, middle, midOff);
                f1 += dibp * correction[0];
                f2 += 2.0 * dibp * correction[1] - dibp2 * correction[2];
            }
            f2 = Math.max(EPSMCH * f2Org, f2);
            if (nleft > 0) {
                dtm = -f1 / f2;
            } else if (bounded) {
                dtm = 0;
            } else {
                dtm = -f1 / f2;
            }
        }
        if (dtm <= 0) {
            dtm = 0;
        }
        tsum += dtm;
        for (int t = 0; t < nmoving; t++) {
            int i = moving[t];
            xcp[i] += tsum * d[i];
        }
        addScaled(c, dtm, p, col);
    }

    /** {@code f''} at the start of the path: {@code -theta f' - p^T M p}. */
    private double initialCurvature(double f1, int col, double theta, double[] middle, int midOff) {
        double f2 = -theta * f1;
        if (col > 0) {
            times(middle, midOff, col, p, v);
            f2 -= dot(v, p, col);
        }
        return f2;
    }

    /**
     * The history's part of passing breakpoint {@code ibp}: {@code c += dt p}, {@code w_b} (its row of W),
     * {@code p -= d_b w_b}, and {@code correction = [w_b^T M c, w_b^T M p, w_b^T M w_b]} (taken before p moves)
     * for the updates of f' and f''.
     */
    private void passCorrection(int ibp, double dibp, double dt, double[] s, double[] y, int col, double theta,
                                double[] middle, int midOff) {
        addScaled(c, dt, p, col);
        Arrays.fill(wbp, 0.0);
        for (int j = 0; j < col; j++) {
            int slot = slotOffset[j] + ibp;
            wbp[j] = y[slot];
            wbp[m + j] = theta * s[slot];
        }
        times(middle, midOff, col, wbp, v);
        correction[0] = dot(c, v, col);
        correction[1] = dot(p, v, col);
        correction[2] = dot(wbp, v, col);
        addScaled(p, -dibp, wbp, col);
    }

    /**
     * {@code out = M v} on the compact layout, for a symmetric M: each valid entry of out is the dot product of
     * its row of M with the valid entries of v, Y part then S part (the same terms, in the same order, as the sum
     * of M's columns; rows are independent, so their sums overlap in the pipeline). Entries past {@code col} in
     * each half stay zero.
     */
    static void times(double[] middle, int midOff, int col, double[] vin, double[] out) {
        int m2 = out.length;
        int m = m2 / 2;
        Arrays.fill(out, 0.0);
        for (int half = 0; half < m2; half += m) {
            for (int a = half; a < half + col; a++) {
                int rowOff = midOff + a * m2;
                double t = 0;
                for (int j = 0; j < col; j++) {
                    t += middle[rowOff + j] * vin[j];
                }
                for (int j = m; j < m + col; j++) {
                    t += middle[rowOff + j] * vin[j];
                }
                out[a] = t;
            }
        }
    }

    private static double dot(double[] a, double[] b, int col) {
        int m = a.length / 2;
        double t = 0;
        for (int j = 0; j < col; j++) {
            t += a[j] * b[j] + a[m + j] * b[m + j];
        }
        return t;
    }

    private static void addScaled(double[] target, double alpha, double[] src, int col) {
        int m = target.length / 2;
        for (int j = 0; j < col; j++) {
            target[j] += alpha * src[j];
            target[m + j] += alpha * src[m + j];
        }
    }

    /**
     * Batched Cauchy points: one call scans every row on the host (a Java loop over rows, sequential in each).
     *
     * @param x      [B, n] feasible points
     * @param g      [B, n] gradients
     * @param lower  [B, n] lower bounds
     * @param upper  [B, n] upper bounds
     * @param s      [B, m, n] history steps, physical slots
     * @param y      [B, m, n] history gradient differences
     * @param head   [B] slot of the oldest pair
     * @param col    [B] number of pairs
     * @param theta  [B] scaling
     * @param middle [B, 2m, 2m] middle matrices M, compact layout
     * @return [B, n] Cauchy points, same data type as {@code x}
     */
    public static INDArray apply(INDArray x, INDArray g, INDArray lower, INDArray upper, INDArray s, INDArray y,
                                 int[] head, int[] col, double[] theta, INDArray middle) {
        long[] shape = x.shape();
        int rows = (int) shape[0];
        int n = (int) shape[1];
        int m = (int) s.shape()[1];
        HostRows.requireShape("g", g, shape);
        HostRows.requireShape("lower", lower, shape);
        HostRows.requireShape("upper", upper, shape);
        HostRows.requireShape("s", s, rows, m, n);
        HostRows.requireShape("y", y, rows, m, n);
        HostRows.requireShape("middle", middle, rows, 2L * m, 2L * m);
        double[] xs = HostRows.read(x);
        double[] gs = HostRows.read(g);
        double[] ls = HostRows.read(lower);
        double[] us = HostRows.read(upper);
        double[] ss = HostRows.read(s);
        double[] ys = HostRows.read(y);
        double[] ms = HostRows.read(middle);
        double[] out = new double[rows * n];
        CauchyScan scan = new CauchyScan(n, m);
        for (int b = 0; b < rows; b++) {
            scan.scan(xs, gs, ls, us, b * n, ss, ys, b * m * n, head[b], col[b], theta[b], ms, b * 4 * m * m);
            System.arraycopy(scan.xcp, 0, out, b * n, n);
        }
        return HostRows.create(out, x.dataType(), shape);
    }

    /**
     * Plain reference: the first local minimiser of {@code q(z) = g^T z + 1/2 z^T B z}, {@code z = x(t) - x},
     * along {@code x(t) = clip(x - t g, l, u)}, found by sorting all breakpoints and minimising the quadratic
     * on each segment in turn with the dense n x n matrix B. Variables at a bound with the gradient pointing
     * out of the box do not move.
     *
     * @return the Cauchy point, length n
     */
    public static double[] reference(double[] x, double[] g, double[] lower, double[] upper, double[][] dense) {
        int n = x.length;
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            boolean stuck = (x[i] <= lower[i] && g[i] >= 0) || (x[i] >= upper[i] && g[i] <= 0) || lower[i] == upper[i];
            t[i] = stuck ? 0.0 : Breakpoints.breakpoint(x[i], g[i], lower[i], upper[i]);
        }
        double[] sorted = t.clone();
        Arrays.sort(sorted);
        double[] z = new double[n];
        double tStart = 0;
        for (int k = 0; k <= n; k++) {
            double tEnd = k < n ? sorted[k] : Double.POSITIVE_INFINITY;
            if (tEnd <= tStart) {
                continue;
            }
            double[] dir = new double[n];
            for (int i = 0; i < n; i++) {
                dir[i] = t[i] > tStart ? -g[i] : 0.0;
            }
            double slope = 0;
            double curvature = 0;
            for (int i = 0; i < n; i++) {
                double bz = 0;
                double bd = 0;
                for (int j = 0; j < n; j++) {
                    bz += dense[i][j] * z[j];
                    bd += dense[i][j] * dir[j];
                }
                slope += dir[i] * (g[i] + bz);
                curvature += dir[i] * bd;
            }
            if (slope >= 0) {
                break;
            }
            double step = curvature > 0 ? -slope / curvature : Double.POSITIVE_INFINITY;
            double length = tEnd - tStart;
            if (step < length) {
                for (int i = 0; i < n; i++) {
                    z[i] += step * dir[i];
                }
                break;
            }
            for (int i = 0; i < n; i++) {
                z[i] += length * dir[i];
            }
            tStart = tEnd;
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = Math.min(Math.max(x[i] + z[i], lower[i]), upper[i]);
        }
        return out;
    }
}
