package dev.labbook.sweep.space;

/** Number handling shared by the distributions: one type per kind of number, grids of multiples. */
public final class Values {
    private static final double EPS = 1e-9;

    private Values() {}

    /** Integral numbers as Long, other numbers as Double, anything else unchanged. */
    public static Object normalize(Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        return v;
    }

    /** The multiple of {@code q} nearest {@code x} that lies in [min, max]. */
    public static Object onGrid(double x, double min, double max, double q, boolean integer) {
        double first = Math.ceil(min / q - EPS);
        double last = Math.floor(max / q + EPS);
        double k = Math.min(last, Math.max(first, Math.rint(x / q)));
        double v = k * q;
        return integer ? (Object) Math.round(v) : (Object) cleanup(v, q);
    }

    static boolean isOnGrid(Object value, double min, double max, double q, boolean integer) {
        if (integer ? !(value instanceof Long) : !(value instanceof Double)) {
            return false;
        }
        double v = ((Number) value).doubleValue();
        double k = v / q;
        return Math.abs(k - Math.rint(k)) < 1e-6 && v >= min - EPS * Math.abs(q) && v <= max + EPS * Math.abs(q);
    }

    /** Removes binary noise such as 0.30000000000000004 from a multiple of {@code q}. */
    private static double cleanup(double v, double q) {
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(Math.abs(q))) + 2);
        return new java.math.BigDecimal(v).setScale(Math.min(decimals + 6, 15), java.math.RoundingMode.HALF_EVEN)
                .stripTrailingZeros().doubleValue();
    }

    /** The value as a command-line word: integers without a decimal point, reals as Java prints them (0.5, 1.0E-4). */
    public static String format(Object v) {
        return String.valueOf(v);
    }
}
