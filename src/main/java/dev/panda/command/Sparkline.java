package dev.panda.command;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An ASCII sparkline, rendered as Redis's {@code sparkline.c} renders it (the graph of LATENCY
 * GRAPH): each sample is a column whose height, on {@code rows} rows of three levels each, is
 * its value's place between the sequence's minimum and maximum; with fill, the area under the
 * curve is drawn with {@code |}. Labels are written vertically under their column after one
 * blank row. Longer sequences are cut into blocks of {@code columns} separated by an empty line.
 * Redis's logarithmic scale is left out: nothing in Redis 7.0 uses it.
 *
 * <p>Confined to the thread that builds it (the store thread for LATENCY GRAPH).
 */
public final class Sparkline {
    private static final char[] CHARSET = {'_', '-', '`'};
    private static final char[] CHARSET_FILL = {'_', 'o', '#'};
    private static final int LABEL_MARGIN_TOP = 1;

    private final List<Double> values = new ArrayList<>();
    private final List<String> labels = new ArrayList<>();
    private int labelCount;
    private double min;
    private double max;

    /** Appends a sample; a null or empty label prints nothing under its column. */
    public Sparkline add(double value, String label) {
        if (values.isEmpty()) {
            min = max = value;
        } else if (value < min) {
            min = value;
        } else if (value > max) {
            max = value;
        }
        boolean labelled = label != null && !label.isEmpty();
        values.add(value);
        labels.add(labelled ? label : null);
        if (labelled) {
            labelCount++;
        }
        return this;
    }

    /** The whole sequence, {@code columns} samples per block. */
    public String render(int columns, int rows, boolean fill) {
        StringBuilder out = new StringBuilder();
        for (int j = 0; j < values.size(); j += columns) {
            int len = Math.min(values.size() - j, columns);
            if (j != 0) {
                out.append('\n');
            }
            renderRange(out, rows, j, len, fill);
        }
        return out.toString();
    }

    private void renderRange(StringBuilder out, int rows, int offset, int len, boolean fill) {
        double relmax = max - min;
        if (relmax == 0) {
            relmax = 1;
        }
        int steps = CHARSET.length * rows;
        char[] chars = new char[len];
        int row = 0;
        boolean loop = true;
        while (loop) {
            loop = false;
            Arrays.fill(chars, ' ');
            for (int j = 0; j < len; j++) {
                double relval = values.get(offset + j) - min;
                // As C's "(int) (relval*steps)/relmax": the product is truncated before the division.
                int step = (int) ((int) (relval * steps) / relmax);
                step = Math.max(0, Math.min(step, steps - 1));
                if (row < rows) {
                    int charidx = step - (rows - row - 1) * CHARSET.length;
                    loop = true;
                    if (charidx >= 0 && charidx < CHARSET.length) {
                        chars[j] = fill ? CHARSET_FILL[charidx] : CHARSET[charidx];
                    } else if (fill && charidx >= CHARSET.length) {
                        chars[j] = '|';
                    }
                } else {
                    if (labelCount > 0 && row - rows < LABEL_MARGIN_TOP) {
                        loop = true; // the blank row between the graph and the labels
                        break;
                    }
                    String label = labels.get(offset + j);
                    int labelChar = row - rows - LABEL_MARGIN_TOP;
                    if (label != null && label.length() > labelChar) {
                        loop = true;
                        chars[j] = label.charAt(labelChar);
                    }
                }
            }
            if (loop) {
                row++;
                out.append(chars).append('\n');
            }
        }
    }
}
