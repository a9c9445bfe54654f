package dev.panda.command.geo;

/**
 * Redis's geohash arithmetic ({@code geohash.c}, {@code geohash_helper.c}), reproduced operation
 * for operation so that scores, positions, distances and search areas come out bit for bit as
 * Redis computes them: 52-bit interleaved hashes over longitude [-180, 180] and latitude
 * [-85.05112878, 85.05112878], the haversine distance on a sphere of 6372797.560856 m, and the
 * nine-cell search area with Redis's step estimate. One difference remains below the last
 * printed digit: Java's sine and cosine differ from glibc's in the last bit for about 0.2% of
 * arguments, and glibc's arcsine from the correctly rounded one ({@link RoundedAsin}) for about
 * 0.16%, so a distance can differ from Redis's by a unit in its 17th digit. Replies print
 * distances to 4 decimals, where that never showed in the differential test; STOREDIST scores
 * keep all 17 digits. Pure functions; any thread.
 */
final class Geohash {
    static final double LAT_MIN = -85.05112878;
    static final double LAT_MAX = 85.05112878;
    static final double LONG_MIN = -180;
    static final double LONG_MAX = 180;
    static final int STEP_MAX = 26;
    static final double EARTH_RADIUS_IN_METERS = 6372797.560856;
    private static final double MERCATOR_MAX = 20037726.37;
    private static final double D_R = Math.PI / 180.0;

    private Geohash() {
    }

    /** A hash of {@code step} bits per coordinate; step 0 and bits 0 is "none" (a zeroed neighbour). */
    record Bits(long bits, int step) {
        boolean isZero() {
            return bits == 0 && step == 0;
        }
    }

    /** A cell: its hash and the coordinates it spans. */
    record Area(Bits hash, double longMin, double longMax, double latMin, double latMax) {
    }

    private static long interleave64(long xlo, long ylo) {
        long[] b = {0x5555555555555555L, 0x3333333333333333L, 0x0F0F0F0F0F0F0F0FL, 0x00FF00FF00FF00FFL, 0x0000FFFF0000FFFFL};
        int[] s = {1, 2, 4, 8, 16};
        long x = xlo & 0xFFFFFFFFL;
        long y = ylo & 0xFFFFFFFFL;
        for (int i = 4; i >= 0; i--) {
            x = (x | (x << s[i])) & b[i];
            y = (y | (y << s[i])) & b[i];
        }
        return x | (y << 1);
    }

    private static long deinterleave64(long interleaved) {
        long[] b = {0x5555555555555555L, 0x3333333333333333L, 0x0F0F0F0F0F0F0F0FL, 0x00FF00FF00FF00FFL,
                0x0000FFFF0000FFFFL, 0x00000000FFFFFFFFL};
        int[] s = {0, 1, 2, 4, 8, 16};
        long x = interleaved;
        long y = interleaved >>> 1;
        for (int i = 0; i < 6; i++) {
            x = (x | (x >>> s[i])) & b[i];
            y = (y | (y >>> s[i])) & b[i];
        }
        return x | (y << 32);
    }

    /** C's conversion of a non-negative double to uint32_t (truncation, modulo 2^32 beyond). */
    private static long toUint32(double d) {
        return ((long) d) & 0xFFFFFFFFL;
    }

    /** geohashEncode over the given ranges; null when outside them. */
    static Bits encode(double longMin, double longMax, double latMin, double latMax, double longitude, double latitude, int step) {
        if (longitude > LONG_MAX || longitude < LONG_MIN || latitude > LAT_MAX || latitude < LAT_MIN) {
            return null;
        }
        if (latitude < latMin || latitude > latMax || longitude < longMin || longitude > longMax) {
            return null;
        }
        double latOffset = (latitude - latMin) / (latMax - latMin);
        double longOffset = (longitude - longMin) / (longMax - longMin);
        latOffset *= (double) (1L << step);
        longOffset *= (double) (1L << step);
        return new Bits(interleave64(toUint32(latOffset), toUint32(longOffset)), step);
    }

    static Bits encodeWgs84(double longitude, double latitude, int step) {
        return encode(LONG_MIN, LONG_MAX, LAT_MIN, LAT_MAX, longitude, latitude, step);
    }

    static Area decode(double longMin, double longMax, double latMin, double latMax, Bits hash) {
        if (hash.isZero()) {
            return null;
        }
        long sep = deinterleave64(hash.bits);
        double latScale = latMax - latMin;
        double longScale = longMax - longMin;
        long ilato = sep & 0xFFFFFFFFL;
        long ilono = (sep >>> 32) & 0xFFFFFFFFL;
        double div = (double) (1L << hash.step);
        return new Area(hash,
                longMin + (ilono * 1.0 / div) * longScale,
                longMin + ((ilono + 1) * 1.0 / div) * longScale,
                latMin + (ilato * 1.0 / div) * latScale,
                latMin + ((ilato + 1) * 1.0 / div) * latScale);
    }

    static Area decodeWgs84(Bits hash) {
        return decode(LONG_MIN, LONG_MAX, LAT_MIN, LAT_MAX, hash);
    }

    /** The centre of a 52-bit score's cell as {longitude, latitude}, or null (decodeGeohash). */
    static double[] decodeScore(double score) {
        Area area = decodeWgs84(new Bits((long) score, STEP_MAX));
        if (area == null) {
            return null;
        }
        double x = (area.longMin + area.longMax) / 2;
        x = Math.min(LONG_MAX, Math.max(LONG_MIN, x));
        double y = (area.latMin + area.latMax) / 2;
        y = Math.min(LAT_MAX, Math.max(LAT_MIN, y));
        return new double[] {x, y};
    }

    /** geohashAlign52Bits: the hash as a 52-bit score. */
    static long align52(Bits hash) {
        return hash.bits << (52 - hash.step * 2);
    }

    private static final long ODD_BITS = 0xaaaaaaaaaaaaaaaaL;
    private static final long EVEN_BITS = 0x5555555555555555L;

    /**
     * geohash_move_x / geohash_move_y: steps the coordinate held in the bits of {@code axis} (odd
     * bits for longitude, even for latitude) by one cell, wrapping, leaving the other alone.
     */
    private static long moveAxis(long bits, int step, int d, long axis) {
        long other = ~axis;
        long v = bits & axis;
        long rest = bits & other;
        long zz = other >>> (64 - step * 2);
        if (d > 0) {
            v = v + (zz + 1);
        } else {
            v = v | zz;
            v = v - (zz + 1);
        }
        v &= (axis >>> (64 - step * 2));
        return v | rest;
    }

    private static Bits move(Bits h, int dx, int dy) {
        long b = h.bits;
        if (dx != 0) {
            b = moveAxis(b, h.step, dx, ODD_BITS);
        }
        if (dy != 0) {
            b = moveAxis(b, h.step, dy, EVEN_BITS);
        }
        return new Bits(b, h.step);
    }

    static int estimateStepsByRadius(double rangeMeters, double lat) {
        if (rangeMeters == 0) {
            return 26;
        }
        int step = 1;
        while (rangeMeters < MERCATOR_MAX) {
            rangeMeters *= 2;
            step++;
        }
        step -= 2;
        if (lat > 66 || lat < -66) {
            step--;
            if (lat > 80 || lat < -80) {
                step--;
            }
        }
        return Math.max(1, Math.min(26, step));
    }

    private static double degRad(double ang) {
        return ang * D_R;
    }

    private static double radDeg(double ang) {
        return ang / D_R;
    }

    static double latDistance(double lat1d, double lat2d) {
        return EARTH_RADIUS_IN_METERS * Math.abs(degRad(lat2d) - degRad(lat1d));
    }

    static double distance(double lon1d, double lat1d, double lon2d, double lat2d) {
        double lon1r = degRad(lon1d);
        double lon2r = degRad(lon2d);
        double v = Math.sin((lon2r - lon1r) / 2);
        if (v == 0.0) {
            return latDistance(lat1d, lat2d);
        }
        double lat1r = degRad(lat1d);
        double lat2r = degRad(lat2d);
        double u = Math.sin((lat2r - lat1r) / 2);
        double a = u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v;
        return 2.0 * EARTH_RADIUS_IN_METERS * RoundedAsin.asin(Math.sqrt(a));
    }

    /** A search shape: a circle (radius) or a box (width, height), in the unit of {@code conversion} metres. */
    static final class Shape {
        boolean box;
        double longitude;
        double latitude;
        double conversion = 1;
        double radius;
        double width;
        double height;

        /** The distance from the centre when the point lies within the shape, else -1. */
        double within(double x, double y) {
            if (!box) {
                double d = distance(longitude, latitude, x, y);
                return d > radius * conversion ? -1 : d;
            }
            double latDistance = latDistance(latitude, y);
            if (latDistance > height * conversion / 2) {
                return -1;
            }
            double lonDistance = distance(x, y, longitude, y);
            if (lonDistance > width * conversion / 2) {
                return -1;
            }
            return distance(longitude, latitude, x, y);
        }
    }

    /**
     * geohashCalculateAreasByShapeWGS84: the cell of the centre and its eight neighbours, in
     * Redis's order (self, N, S, E, W, NE, NW, SE, SW), zeroed where they cannot hold results.
     */
    static Bits[] searchCells(Shape shape) {
        double longitude = shape.longitude;
        double latitude = shape.latitude;
        double height = shape.conversion * (shape.box ? shape.height / 2 : shape.radius);
        double width = shape.conversion * (shape.box ? shape.width / 2 : shape.radius);
        double latDelta = radDeg(height / EARTH_RADIUS_IN_METERS);
        double longDeltaTop = radDeg(width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(latitude + latDelta)));
        double longDeltaBottom = radDeg(width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(latitude - latDelta)));
        boolean southern = latitude < 0;
        double minLon = southern ? longitude - longDeltaBottom : longitude - longDeltaTop;
        double maxLon = southern ? longitude + longDeltaBottom : longitude + longDeltaTop;
        double minLat = latitude - latDelta;
        double maxLat = latitude + latDelta;
        double radiusMeters = shape.box
                ? Math.sqrt((shape.width / 2) * (shape.width / 2) + (shape.height / 2) * (shape.height / 2))
                : shape.radius;
        radiusMeters *= shape.conversion;
        int steps = estimateStepsByRadius(radiusMeters, latitude);
        Bits hash = encodeWgs84(longitude, latitude, steps);
        Bits[] n = neighbours(hash);
        Area area = decodeWgs84(hash);
        boolean decrease = false;
        Area north = decodeWgs84(n[1]);
        Area south = decodeWgs84(n[2]);
        Area east = decodeWgs84(n[3]);
        Area west = decodeWgs84(n[4]);
        if (north.latMax < maxLat || south.latMin > minLat || east.longMax < maxLon || west.longMin > minLon) {
            decrease = true;
        }
        if (steps > 1 && decrease) {
            steps--;
            hash = encodeWgs84(longitude, latitude, steps);
            n = neighbours(hash);
            area = decodeWgs84(hash);
        }
        if (steps >= 2) {
            Bits zero = new Bits(0, 0);
            if (area.latMin < minLat) {
                n[2] = zero;
                n[8] = zero;
                n[7] = zero;
            }
            if (area.latMax > maxLat) {
                n[1] = zero;
                n[5] = zero;
                n[6] = zero;
            }
            if (area.longMin < minLon) {
                n[4] = zero;
                n[8] = zero;
                n[6] = zero;
            }
            if (area.longMax > maxLon) {
                n[3] = zero;
                n[7] = zero;
                n[5] = zero;
            }
        }
        return n;
    }

    /** The cell and its neighbours: self, N, S, E, W, NE, NW, SE, SW. */
    private static Bits[] neighbours(Bits h) {
        return new Bits[] {h, move(h, 0, 1), move(h, 0, -1), move(h, 1, 0), move(h, -1, 0),
                move(h, 1, 1), move(h, -1, 1), move(h, 1, -1), move(h, -1, -1)};
    }
}
