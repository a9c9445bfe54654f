package dev.panda.command.string;

import dev.panda.command.Args;
import dev.panda.command.Errors;

/**
 * Parsing of the expiry and condition options of SET and GETEX, and of relative or absolute
 * TTL arguments, with Redis's conflict rules and overflow checks. Every deadline comes out as
 * absolute epoch milliseconds, which is what the store keeps and the WAL logs. Pure functions.
 */
public final class ExpiryOptions {
    private ExpiryOptions() {
    }

    enum Condition { NONE, NX, XX }

    /** SET options; {@code deadline} is -1 when none was given. */
    record SetOptions(Condition condition, long deadline, boolean keepTtl, boolean get) { }

    /** GETEX options; {@code deadline} is -1 when none was given. */
    record GetExOptions(long deadline, boolean persist) { }

    /**
     * A TTL argument as an absolute deadline: {@code unitMillis} is 1000 for seconds, 1 for ms;
     * relative values are added to {@code now}. Zero, negative or overflowing values are the
     * command's "invalid expire time" error.
     */
    static long deadline(byte[] arg, long unitMillis, boolean absolute, String command, long now) {
        long n = Args.parseLong(arg);
        if (n <= 0 || n > Long.MAX_VALUE / unitMillis) {
            throw new Args.Invalid(Errors.invalidExpire(command));
        }
        long ms = n * unitMillis;
        if (!absolute) {
            if (ms > Long.MAX_VALUE - now) {
                throw new Args.Invalid(Errors.invalidExpire(command));
            }
            ms += now;
        }
        return ms;
    }

    /** Which of EX, PX, EXAT, PXAT an argument is, or null. */
    private static String expiryUnit(byte[] a) {
        for (String unit : new String[] {"ex", "px", "exat", "pxat"}) {
            if (Args.is(a, unit)) {
                return unit;
            }
        }
        return null;
    }

    /**
     * Redis's rules: NX and XX exclude each other, KEEPTTL (or PERSIST) excludes a TTL, and only
     * one TTL unit may be given (repeating the same one keeps the last). The TTL's value is
     * checked after all options, so a syntax error wins over an invalid expire time.
     */
    static SetOptions parseSet(byte[][] argv, int from, String command, long now) {
        Condition condition = Condition.NONE;
        boolean keepTtl = false;
        boolean get = false;
        String unit = null;
        int valueAt = -1;
        for (int i = from; i < argv.length; i++) {
            byte[] a = argv[i];
            String u = expiryUnit(a);
            if (Args.is(a, "nx") && condition != Condition.XX) {
                condition = Condition.NX;
            } else if (Args.is(a, "xx") && condition != Condition.NX) {
                condition = Condition.XX;
            } else if (Args.is(a, "get")) {
                get = true;
            } else if (Args.is(a, "keepttl") && unit == null) {
                keepTtl = true;
            } else if (u != null && !keepTtl && (unit == null || unit.equals(u)) && i + 1 < argv.length) {
                unit = u;
                valueAt = ++i;
            } else {
                throw new Args.Invalid(Errors.SYNTAX);
            }
        }
        return new SetOptions(condition, unit == null ? -1 : deadlineOf(unit, argv[valueAt], command, now), keepTtl, get);
    }

    private static long deadlineOf(String unit, byte[] value, String command, long now) {
        boolean seconds = unit.equals("ex") || unit.equals("exat");
        return deadline(value, seconds ? 1000 : 1, unit.endsWith("at"), command, now);
    }

    static GetExOptions parseGetEx(byte[][] argv, long now) {
        boolean persist = false;
        String unit = null;
        int valueAt = -1;
        for (int i = 2; i < argv.length; i++) {
            byte[] a = argv[i];
            String u = expiryUnit(a);
            if (Args.is(a, "persist") && unit == null) {
                persist = true;
            } else if (u != null && !persist && (unit == null || unit.equals(u)) && i + 1 < argv.length) {
                unit = u;
                valueAt = ++i;
            } else {
                throw new Args.Invalid(Errors.SYNTAX);
            }
        }
        return new GetExOptions(unit == null ? -1 : deadlineOf(unit, argv[valueAt], "getex", now), persist);
    }
}
