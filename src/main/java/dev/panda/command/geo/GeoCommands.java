package dev.panda.command.geo;

import dev.panda.command.Args;
import dev.panda.command.Client;
import dev.panda.command.Errors;
import dev.panda.protocol.Reply;
import dev.panda.store.Database;
import dev.panda.store.Status;
import dev.panda.store.ZsetReader;
import dev.panda.store.Zsets;
import dev.panda.store.value.ValueType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The GEO commands on sorted sets, as Redis 7.0's {@code geo.c}: a position is a member whose
 * score is the 52-bit geohash of its longitude and latitude ({@link Geohash}), so GEOADD is a
 * ZADD of computed scores (logged as such) and searches scan the score ranges of the nine cells
 * around the centre, in Redis's order, before sorting. Replies are formatted as Redis formats
 * them (coordinates with 17 decimals and trailing zeros dropped, distances with 4). Store thread
 * only.
 */
public final class GeoCommands {
    private final ZsetReader zset = new ZsetReader();
    private final Zsets.AddResult added = new Zsets.AddResult();

    private static Database db(Client c) {
        return c.server().keyspace().db(c.db());
    }

    // ---- formatting and arguments --------------------------------------------------------------

    /** ld2string(LD_STR_HUMAN): "%.17Lf" without trailing zeros. */
    static String human(double d) {
        return dev.panda.command.LongDouble.human(new BigDecimal(d), false);
    }

    /** fixedpoint_d2string(d, 4): rounded half to even at the fourth decimal. */
    static String distance(double d) {
        if (d == 0) {
            return "0.0000";
        }
        long v = (long) Math.rint(d * 10000.0);
        boolean negative = v < 0;
        String digits = Long.toString(Math.abs(v));
        while (digits.length() < 5) {
            digits = "0" + digits;
        }
        String out = digits.substring(0, digits.length() - 4) + "." + digits.substring(digits.length() - 4);
        return negative ? "-" + out : out;
    }

    private static void coordinate(Reply r, double d) {
        r.doubleText(human(d));
    }

    /** C's "%f": six decimals, as the invalid-pair error prints them. */
    private static String six(double d) {
        return String.format(Locale.ROOT, "%.6f", d);
    }

    private static double[] lonLat(byte[] lon, byte[] lat) {
        double x = Args.parseDouble(lon, Errors.NOT_FLOAT);
        double y = Args.parseDouble(lat, Errors.NOT_FLOAT);
        if (x < Geohash.LONG_MIN || x > Geohash.LONG_MAX || y < Geohash.LAT_MIN || y > Geohash.LAT_MAX) {
            throw new Args.Invalid("ERR invalid longitude,latitude pair " + six(x) + "," + six(y));
        }
        return new double[] {x, y};
    }

    private static double unit(byte[] arg) {
        if (Args.is(arg, "m")) {
            return 1;
        }
        if (Args.is(arg, "km")) {
            return 1000;
        }
        if (Args.is(arg, "ft")) {
            return 0.3048;
        }
        if (Args.is(arg, "mi")) {
            return 1609.34;
        }
        throw new Args.Invalid("ERR unsupported unit provided. please use M, KM, FT, MI");
    }

    // ---- GEOADD, GEOPOS, GEODIST, GEOHASH --------------------------------------------------------

    public void geoadd(Client c, byte[][] argv, Reply r) {
        int flags = 0;
        boolean ch = false;
        int at = 2;
        for (; at < argv.length; at++) {
            if (Args.is(argv[at], "nx")) {
                flags |= Zsets.NX;
            } else if (Args.is(argv[at], "xx")) {
                flags |= Zsets.XX;
            } else if (Args.is(argv[at], "ch")) {
                ch = true;
            } else {
                break;
            }
        }
        if ((argv.length - at) % 3 != 0 || ((flags & Zsets.NX) != 0 && (flags & Zsets.XX) != 0)) {
            throw new Args.Invalid(Errors.SYNTAX);
        }
        int n = (argv.length - at) / 3;
        if (n == 0) {
            throw new Args.Invalid(Errors.SYNTAX);
        }
        byte[][] members = new byte[n][];
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            double[] xy = lonLat(argv[at + 3 * i], argv[at + 3 * i + 1]);
            scores[i] = Geohash.align52(Geohash.encodeWgs84(xy[0], xy[1], Geohash.STEP_MAX));
            members[i] = argv[at + 3 * i + 2];
        }
        Errors.checkType(db(c).zsets().add(argv[1], flags, members, scores, n, added));
        r.integer(ch ? added.added + added.updated : added.added);
    }

    private boolean read(Client c, byte[] key) {
        return Errors.checkType(db(c).zsets().read(key, zset)) == Status.OK;
    }

    public void geopos(Client c, byte[][] argv, Reply r) {
        boolean exists = read(c, argv[1]);
        r.array(argv.length - 2);
        for (int i = 2; i < argv.length; i++) {
            double[] xy = exists && zset.find(argv[i]) ? Geohash.decodeScore(zset.score) : null;
            if (xy == null) {
                r.nullArray();
            } else {
                r.array(2);
                coordinate(r, xy[0]);
                coordinate(r, xy[1]);
            }
        }
    }

    public void geodist(Client c, byte[][] argv, Reply r) {
        double toMeter = 1;
        if (argv.length == 5) {
            toMeter = unit(argv[4]);
        } else if (argv.length > 5) {
            throw new Args.Invalid(Errors.SYNTAX);
        }
        if (!read(c, argv[1])) {
            r.nullBulk();
            return;
        }
        double[] a = zset.find(argv[2]) ? Geohash.decodeScore(zset.score) : null;
        double[] b = zset.find(argv[3]) ? Geohash.decodeScore(zset.score) : null;
        if (a == null || b == null) {
            r.nullBulk();
            return;
        }
        r.bulk(distance(Geohash.distance(a[0], a[1], b[0], b[1]) / toMeter));
    }

    public void geohash(Client c, byte[][] argv, Reply r) {
        String alphabet = "0123456789bcdefghjkmnpqrstuvwxyz";
        boolean exists = read(c, argv[1]);
        r.array(argv.length - 2);
        for (int j = 2; j < argv.length; j++) {
            double[] xy = exists && zset.find(argv[j]) ? Geohash.decodeScore(zset.score) : null;
            if (xy == null) {
                r.nullBulk();
                continue;
            }
            Geohash.Bits hash = Geohash.encode(-180, 180, -90, 90, xy[0], xy[1], 26);
            char[] buf = new char[11];
            for (int i = 0; i < 11; i++) {
                int idx = i == 10 ? 0 : (int) ((hash.bits() >>> (52 - ((i + 1) * 5))) & 0x1f);
                buf[i] = alphabet.charAt(idx);
            }
            r.bulk(new String(buf));
        }
    }

    // ---- searches --------------------------------------------------------------------------------

    private static final int COORDS = 1;
    private static final int MEMBER = 2;
    private static final int NOSTORE = 4;
    private static final int SEARCH = 8;
    private static final int SEARCHSTORE = 16;

    public void georadius(Client c, byte[][] argv, Reply r) {
        search(c, argv, r, 1, COORDS);
    }

    public void georadiusbymember(Client c, byte[][] argv, Reply r) {
        search(c, argv, r, 1, MEMBER);
    }

    public void georadiusRo(Client c, byte[][] argv, Reply r) {
        search(c, argv, r, 1, COORDS | NOSTORE);
    }

    public void georadiusbymemberRo(Client c, byte[][] argv, Reply r) {
        search(c, argv, r, 1, MEMBER | NOSTORE);
    }

    public void geosearch(Client c, byte[][] argv, Reply r) {
        search(c, argv, r, 1, SEARCH);
    }

    public void geosearchstore(Client c, byte[][] argv, Reply r) {
        search(c, argv, r, 2, SEARCH | SEARCHSTORE);
    }

    /** A point found by a search. */
    private record Point(byte[] member, double score, double longitude, double latitude, double distance) {
    }

    /** georadiusGeneric, step for step: the argument checks come in Redis's order. */
    private void search(Client c, byte[][] argv, Reply r, int srcAt, int flags) {
        Database db = db(c);
        ValueType type = db.type(argv[srcAt]);
        if (type != null && type != ValueType.ZSET) {
            throw new Args.Invalid(Errors.WRONGTYPE);
        }
        boolean exists = type != null && db.zsets().read(argv[srcAt], zset) == Status.OK;
        byte[] storeKey = null;
        boolean storeDist = false;
        Geohash.Shape shape = new Geohash.Shape();
        int base;
        if ((flags & COORDS) != 0) {
            base = 6;
            double[] xy = lonLat(argv[2], argv[3]);
            shape.longitude = xy[0];
            shape.latitude = xy[1];
            radius(shape, argv[4], argv[5]);
        } else if ((flags & MEMBER) != 0 && !exists) {
            base = 5;
        } else if ((flags & MEMBER) != 0) {
            base = 5;
            double[] xy = memberPosition(argv[2]);
            shape.longitude = xy[0];
            shape.latitude = xy[1];
            radius(shape, argv[3], argv[4]);
        } else {
            base = (flags & SEARCHSTORE) != 0 ? 3 : 2;
            if ((flags & SEARCHSTORE) != 0) {
                storeKey = argv[1];
            }
        }
        boolean withDist = false;
        boolean withHash = false;
        boolean withCoords = false;
        boolean fromMember = false;
        boolean fromLoc = false;
        boolean byRadius = false;
        boolean byBox = false;
        int sort = 0;
        boolean any = false;
        long count = 0;
        int remaining = argv.length - base;
        for (int i = 0; i < remaining; i++) {
            byte[] arg = argv[base + i];
            boolean search = (flags & SEARCH) != 0;
            if (Args.is(arg, "withdist")) {
                withDist = true;
            } else if (Args.is(arg, "withhash")) {
                withHash = true;
            } else if (Args.is(arg, "withcoord")) {
                withCoords = true;
            } else if (Args.is(arg, "any")) {
                any = true;
            } else if (Args.is(arg, "asc")) {
                sort = 1;
            } else if (Args.is(arg, "desc")) {
                sort = 2;
            } else if (Args.is(arg, "count") && i + 1 < remaining) {
                count = Args.parseLong(argv[base + i + 1]);
                if (count <= 0) {
                    throw new Args.Invalid("ERR COUNT must be > 0");
                }
                i++;
            } else if (Args.is(arg, "store") && i + 1 < remaining && (flags & NOSTORE) == 0 && !search) {
                storeKey = argv[base + i + 1];
                storeDist = false;
                i++;
            } else if (Args.is(arg, "storedist") && i + 1 < remaining && (flags & NOSTORE) == 0 && !search) {
                storeKey = argv[base + i + 1];
                storeDist = true;
                i++;
            } else if (Args.is(arg, "storedist") && search && (flags & SEARCHSTORE) != 0) {
                storeDist = true;
            } else if (Args.is(arg, "frommember") && i + 1 < remaining && search && !fromLoc) {
                if (exists) {
                    double[] xy = memberPosition(argv[base + i + 1]);
                    shape.longitude = xy[0];
                    shape.latitude = xy[1];
                }
                fromMember = true;
                i++;
            } else if (Args.is(arg, "fromlonlat") && i + 2 < remaining && search && !fromMember) {
                double[] xy = lonLat(argv[base + i + 1], argv[base + i + 2]);
                shape.longitude = xy[0];
                shape.latitude = xy[1];
                fromLoc = true;
                i += 2;
            } else if (Args.is(arg, "byradius") && i + 2 < remaining && search && !byBox) {
                radius(shape, argv[base + i + 1], argv[base + i + 2]);
                byRadius = true;
                i += 2;
            } else if (Args.is(arg, "bybox") && i + 3 < remaining && search && !byRadius) {
                double w = Args.parseDouble(argv[base + i + 1], "ERR need numeric width");
                double h = Args.parseDouble(argv[base + i + 2], "ERR need numeric height");
                if (h < 0 || w < 0) {
                    throw new Args.Invalid("ERR height or width cannot be negative");
                }
                shape.conversion = unit(argv[base + i + 3]);
                shape.box = true;
                shape.width = w;
                shape.height = h;
                byBox = true;
                i += 3;
            } else {
                throw new Args.Invalid(Errors.SYNTAX);
            }
        }
        String name = Args.text(argv[0]);
        if (storeKey != null && (withDist || withHash || withCoords)) {
            throw new Args.Invalid("ERR " + ((flags & SEARCHSTORE) != 0 ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS")
                    + " is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
        }
        if ((flags & SEARCH) != 0 && !(fromMember || fromLoc)) {
            throw new Args.Invalid("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " + name);
        }
        if ((flags & SEARCH) != 0 && !(byRadius || byBox)) {
            throw new Args.Invalid("ERR exactly one of BYRADIUS and BYBOX can be specified for " + name);
        }
        if (any && count == 0) {
            throw new Args.Invalid("ERR the ANY argument requires COUNT argument");
        }
        if (!exists) {
            if (storeKey != null) {
                db.delete(storeKey);
                r.integer(0);
            } else {
                r.array(0);
            }
            return;
        }
        if (count != 0 && sort == 0 && !any) {
            sort = 1;
        }
        List<Point> found = collect(shape, any ? count : 0);
        if (found.isEmpty() && storeKey == null) {
            r.array(0);
            return;
        }
        int returned = (int) (count == 0 || found.size() < count ? found.size() : count);
        if (sort != 0) {
            // sort_gp_asc / sort_gp_desc; a full sort is glibc's qsort (a stable merge sort),
            // a partial one Redis's pqsort, whose order for equal distances only a port gives.
            Comparator<Point> asc = (x, y) -> x.distance > y.distance ? 1 : x.distance == y.distance ? 0 : -1;
            Comparator<Point> order = sort == 1 ? asc : (x, y) -> -asc.compare(x, y);
            if (returned == found.size()) {
                found.sort(order);
            } else {
                Point[] points = found.toArray(new Point[0]);
                PartialSort.sort(points, points.length, order, 0, returned - 1);
                found = java.util.Arrays.asList(points);
            }
        }
        if (storeKey == null) {
            int options = (withDist ? 1 : 0) + (withCoords ? 1 : 0) + (withHash ? 1 : 0);
            r.array(returned);
            for (int i = 0; i < returned; i++) {
                Point p = found.get(i);
                if (options > 0) {
                    r.array(options + 1);
                }
                r.bulk(p.member);
                if (withDist) {
                    r.bulk(distance(p.distance / shape.conversion));
                }
                if (withHash) {
                    r.integer((long) p.score);
                }
                if (withCoords) {
                    r.array(2);
                    coordinate(r, p.longitude);
                    coordinate(r, p.latitude);
                }
            }
            return;
        }
        byte[][] members = new byte[returned][];
        double[] scores = new double[returned];
        for (int i = 0; i < returned; i++) {
            Point p = found.get(i);
            members[i] = p.member;
            scores[i] = storeDist ? p.distance / shape.conversion : p.score;
        }
        db.zsets().store(storeKey, members, scores, returned);
        r.integer(returned);
    }

    private double[] memberPosition(byte[] member) {
        double[] xy = zset.find(member) ? Geohash.decodeScore(zset.score) : null;
        if (xy == null) {
            throw new Args.Invalid("ERR could not decode requested zset member");
        }
        return xy;
    }

    private static void radius(Geohash.Shape shape, byte[] value, byte[] unit) {
        double d = Args.parseDouble(value, "ERR need numeric radius");
        if (d < 0) {
            throw new Args.Invalid("ERR radius cannot be negative");
        }
        shape.radius = d;
        shape.conversion = unit(unit);
        shape.box = false;
    }

    /** membersOfAllNeighbors: each non-empty cell (skipping a repeat of the last one scanned), in order. */
    private List<Point> collect(Geohash.Shape shape, long limit) {
        Geohash.Bits[] cells = Geohash.searchCells(shape);
        List<Point> out = new ArrayList<>();
        int last = 0;
        for (int i = 0; i < cells.length; i++) {
            Geohash.Bits cell = cells[i];
            if (cell.isZero()) {
                continue;
            }
            if (last != 0 && cell.equals(cells[last])) {
                continue;
            }
            if (!out.isEmpty() && limit > 0 && out.size() >= limit) {
                break;
            }
            double min = Geohash.align52(cell);
            double max = Geohash.align52(new Geohash.Bits(cell.bits() + 1, cell.step()));
            long from = zset.countBefore((s, m, o, l) -> s < min);
            if (from < zset.size()) {
                zset.seek(from, true);
                while (zset.next() && zset.score < max) {
                    double[] xy = Geohash.decodeScore(zset.score);
                    double d = xy == null ? -1 : shape.within(xy[0], xy[1]);
                    if (d >= 0) {
                        out.add(new Point(zset.member.toArray(), zset.score, xy[0], xy[1], d));
                    }
                    if (!out.isEmpty() && limit > 0 && out.size() >= limit) {
                        break;
                    }
                }
            }
            last = i;
        }
        return out;
    }
}
