package dev.panda.command;

/**
 * The arguments LMPOP, BLMPOP, ZMPOP and BZMPOP share: {@code numkeys key… WHERE [COUNT n]},
 * parsed with Redis's checks and error texts. {@code second} says the WHERE word was the second
 * of the two the command takes (RIGHT, MAX). Immutable; any thread.
 */
public record MpopArgs(int firstKey, int keys, boolean second, long count) {
    public static MpopArgs parse(byte[][] argv, int numkeysAt, String firstWord, String secondWord) {
        long numkeys = Args.parseLong(argv[numkeysAt], "ERR numkeys should be greater than 0");
        if (numkeys <= 0) {
            throw new Args.Invalid("ERR numkeys should be greater than 0");
        }
        long whereAt = numkeysAt + numkeys + 1;
        if (whereAt >= argv.length) {
            throw new Args.Invalid(Errors.SYNTAX);
        }
        boolean second;
        if (Args.is(argv[(int) whereAt], firstWord)) {
            second = false;
        } else if (Args.is(argv[(int) whereAt], secondWord)) {
            second = true;
        } else {
            throw new Args.Invalid(Errors.SYNTAX);
        }
        long n = -1;
        for (int j = (int) whereAt + 1; j < argv.length; j++) {
            if (n == -1 && Args.is(argv[j], "count") && j + 1 < argv.length) {
                n = Args.parseLong(argv[++j], "ERR count should be greater than 0");
                if (n <= 0) {
                    throw new Args.Invalid("ERR count should be greater than 0");
                }
            } else {
                throw new Args.Invalid(Errors.SYNTAX);
            }
        }
        return new MpopArgs(numkeysAt + 1, (int) numkeys, second, n == -1 ? 1 : n);
    }

    /** The keys' end (exclusive) in argv. */
    public int endKey() {
        return firstKey + keys;
    }
}
