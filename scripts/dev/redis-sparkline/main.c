#include "server.h"
/* Reads "columns rows fill" then lines "value label" ('-' = no label); prints the render. */
int main(void) {
    int cols, rows, fill; double v; char label[64];
    if (scanf("%d %d %d", &cols, &rows, &fill) != 3) return 1;
    struct sequence *seq = createSparklineSequence();
    seq->labels = 0; /* Redis leaves it uninitialised; every caller adds labels */
    while (scanf("%lf %63s", &v, label) == 2)
        sparklineSequenceAddSample(seq, v, strcmp(label, "-") ? label : NULL);
    sds out = sparklineRender(sdsempty(), seq, cols, rows, fill ? SPARKLINE_FILL : 0);
    fputs(out, stdout);
    return 0;
}
