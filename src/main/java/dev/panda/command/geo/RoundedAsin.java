package dev.panda.command.geo;

/**
 * The arcsine correctly rounded to the nearest double, as glibc's {@code asin} (IBM's accurate
 * library, which Redis's distances go through) gives it; {@link Math#asin} is off by one unit in
 * the last place for about 6% of arguments, which shows in STOREDIST scores. Starts from
 * {@link Math#asin} and moves one unit at a time while the sine of the half-way point to the
 * neighbour, evaluated in double-double arithmetic (about 100 bits), says the true value lies
 * beyond it. Pure function; any thread.
 */
final class RoundedAsin {
    private RoundedAsin() {
    }

    /** asin(s) for s in [0, 1], correctly rounded (but for the rare case within 2^-100 of a tie). */
    static double asin(double s) {
        double y = Math.asin(s);
        if (s <= 0 || s >= 1 || Double.isNaN(y)) {
            return y;
        }
        for (int i = 0; i < 4; i++) {
            double up = Math.nextUp(y);
            if (compareSinOfMidpoint(y, up, s) < 0) {
                y = up;
                continue;
            }
            double down = Math.nextDown(y);
            if (compareSinOfMidpoint(y, down, s) > 0) {
                y = down;
                continue;
            }
            break;
        }
        return y;
    }

    /** The sign of sin((a + b) / 2) - s, with the midpoint and the sine carried in double-double. */
    private static int compareSinOfMidpoint(double a, double b, double s) {
        double d = (b - a) / 2; // exact: a and b are neighbours
        double[] sinA = sin(a);
        // sin(a + d) = sin(a) + d cos(a) - d^2 sin(a) / 2 ...: the d^2 term is below 2^-100 here.
        double diff = sinA[0] - s; // exact: the two are within a factor of two (Sterbenz)
        double total = diff + (sinA[1] + d * Math.cos(a));
        return total > 0 ? 1 : total < 0 ? -1 : 0;
    }

    /** sin(x) for x in [0, 2] as a double-double {hi, lo}, by Horner's rule on the Taylor series. */
    static double[] sin(double x) {
        double x2h = x * x;
        double x2l = Math.fma(x, x, -x2h);
        double th = 1;
        double tl = 0;
        for (int k = 16; k >= 1; k--) {
            // t = 1 - t * x^2 / ((2k)(2k+1))
            double ph = th * x2h;
            double pl = Math.fma(th, x2h, -ph) + (th * x2l + tl * x2h);
            double[] q = divide(ph, pl, (2.0 * k) * (2.0 * k + 1));
            double sh = 1 - q[0];
            double sl = ((1 - sh) - q[0]) - q[1];
            th = sh + sl;
            tl = sl - (th - sh);
        }
        double rh = th * x;
        double rl = Math.fma(th, x, -rh) + tl * x;
        double h = rh + rl;
        return new double[] {h, rl - (h - rh)};
    }

    private static double[] divide(double h, double l, double d) {
        double q1 = h / d;
        double p = q1 * d;
        double pe = Math.fma(q1, d, -p);
        double r = ((h - p) - pe) + l;
        double q2 = r / d;
        double s = q1 + q2;
        return new double[] {s, q2 - (s - q1)};
    }
}
