package dev.panda.it;

import static dev.panda.it.RespConnection.NIL;
import static dev.panda.it.RespConnection.array;
import static dev.panda.it.RespConnection.bulk;
import static dev.panda.it.RespConnection.error;
import static dev.panda.it.RespConnection.integer;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The GEO commands, asserted against Panda ({@link PandaGeoIT}) and against Debian's real
 * redis-server ({@link RedisGeoIT}): scores, positions, hashes and distances byte for byte,
 * search results in Redis's order, errors. Random worldwide searches are compared between the
 * two servers by {@link DifferentialIT}'s geo family. Test thread.
 */
abstract class GeoContract extends ServerContract {
    static final String WRONGTYPE = error("WRONGTYPE Operation against a key holding the wrong kind of value");

    private void sicily() throws IOException {
        assertThat(c.call("GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"))
                .isEqualTo(integer(2));
    }

    @Test
    void addPositionDistanceHash() throws IOException {
        sicily();
        assertThat(c.call("ZSCORE", "Sicily", "Palermo")).isEqualTo(bulk("3479099956230698"));
        assertThat(c.call("GEOPOS", "Sicily", "Palermo", "NonExisting")).isEqualTo(array(
                array(bulk("13.36138933897018433"), bulk("38.11555639549629859")), "*-1\r\n"));
        assertThat(c.call("GEODIST", "Sicily", "Palermo", "Catania")).isEqualTo(bulk("166274.1516"));
        assertThat(c.call("GEODIST", "Sicily", "Palermo", "Catania", "km")).isEqualTo(bulk("166.2742"));
        assertThat(c.call("GEODIST", "Sicily", "Palermo", "Catania", "mi")).isEqualTo(bulk("103.3182"));
        assertThat(c.call("GEODIST", "Sicily", "Palermo", "Catania", "ft")).isEqualTo(bulk("545518.8700"));
        assertThat(c.call("GEODIST", "Sicily", "Palermo", "Palermo")).isEqualTo(bulk("0.0000"));
        assertThat(c.call("GEODIST", "Sicily", "Foo", "Bar")).isEqualTo(NIL);
        assertThat(c.call("GEODIST", "missing", "Foo", "Bar")).isEqualTo(NIL);
        assertThat(c.call("GEODIST", "Sicily", "Palermo", "Catania", "yd")).isEqualTo(error("ERR unsupported unit provided. please use M, KM, FT, MI"));
        assertThat(c.call("GEOHASH", "Sicily", "Palermo", "Catania", "nope")).isEqualTo(array(bulk("sqc8b49rny0"), bulk("sqdtr74hyu0"), NIL));
        assertThat(c.call("GEOADD", "Sicily", "CH", "13.361389", "38.115557", "Palermo", "1", "1", "x")).isEqualTo(integer(1));
        assertThat(c.call("GEOADD", "Sicily", "NX", "0", "0", "x")).isEqualTo(integer(0));
        assertThat(c.call("GEOADD", "Sicily", "XX", "0", "0", "y")).isEqualTo(integer(0));
        assertThat(c.call("GEOPOS", "missing", "a")).isEqualTo(array("*-1\r\n"));
    }

    @Test
    void addErrors() throws IOException {
        assertThat(c.call("GEOADD", "g", "200", "10", "m")).isEqualTo(error("ERR invalid longitude,latitude pair 200.000000,10.000000"));
        assertThat(c.call("GEOADD", "g", "10", "86", "m")).isEqualTo(error("ERR invalid longitude,latitude pair 10.000000,86.000000"));
        assertThat(c.call("GEOADD", "g", "10", "10")).isEqualTo(error("ERR wrong number of arguments for 'geoadd' command"));
        assertThat(c.call("GEOADD", "g", "10", "10", "m", "1")).isEqualTo(error("ERR syntax error"));
        assertThat(c.call("GEOADD", "g", "NX", "XX", "10", "10", "m")).isEqualTo(error("ERR syntax error"));
        assertThat(c.call("GEOADD", "g", "x", "10", "m")).isEqualTo(error("ERR value is not a valid float"));
        assertThat(c.call("EXISTS", "g")).isEqualTo(integer(0));
        c.call("SET", "s", "v");
        assertThat(c.call("GEOADD", "s", "10", "10", "m")).isEqualTo(WRONGTYPE);
        assertThat(c.call("GEOPOS", "s", "m")).isEqualTo(WRONGTYPE);
        assertThat(c.call("GEOSEARCH", "s", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km")).isEqualTo(WRONGTYPE);
    }

    @Test
    void radiusSearches() throws IOException {
        sicily();
        c.call("GEOADD", "Sicily", "12.758489", "38.788135", "edge1", "17.241510", "38.788135", "edge2");
        assertThat(c.call("GEORADIUS", "Sicily", "15", "37", "200", "km", "WITHDIST", "ASC")).isEqualTo(array(
                array(bulk("Catania"), bulk("56.4413")), array(bulk("Palermo"), bulk("190.4424"))));
        assertThat(c.call("GEORADIUS", "Sicily", "15", "37", "200", "km", "WITHCOORD")).isEqualTo(array(
                array(bulk("Palermo"), array(bulk("13.36138933897018433"), bulk("38.11555639549629859"))),
                array(bulk("Catania"), array(bulk("15.08726745843887329"), bulk("37.50266842333162032")))));
        assertThat(c.call("GEORADIUS", "Sicily", "15", "37", "200", "km", "WITHHASH", "COUNT", "1")).isEqualTo(array(
                array(bulk("Catania"), integer(3479447370796909L))));
        assertThat(c.call("GEORADIUSBYMEMBER", "Sicily", "Palermo", "300", "km", "DESC")).isEqualTo(array(
                bulk("Catania"), bulk("edge1"), bulk("Palermo")));
        assertThat(c.call("GEORADIUS_RO", "Sicily", "15", "37", "200", "km", "STORE", "x")).isEqualTo(error("ERR syntax error"));
        assertThat(c.call("GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "dst")).isEqualTo(integer(2));
        assertThat(c.call("ZRANGE", "dst", "0", "-1", "WITHSCORES")).isEqualTo(array(
                bulk("Palermo"), bulk("3479099956230698"), bulk("Catania"), bulk("3479447370796909")));
        assertThat(c.call("GEORADIUS", "Sicily", "15", "37", "200", "km", "STOREDIST", "dst")).isEqualTo(integer(2));
        assertThat(c.call("ZRANGE", "dst", "0", "-1", "WITHSCORES")).isEqualTo(array(
                bulk("Catania"), bulk("56.441257870158204"), bulk("Palermo"), bulk("190.44242984775784")));
        assertThat(c.call("GEORADIUS", "Sicily", "15", "37", "200", "km", "WITHDIST", "STORE", "dst")).isEqualTo(
                error("ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options"));
        assertThat(c.call("GEORADIUS", "Sicily", "15", "37", "-1", "km")).isEqualTo(error("ERR radius cannot be negative"));
        assertThat(c.call("GEORADIUS", "Sicily", "15", "37", "x", "km")).isEqualTo(error("ERR need numeric radius"));
        assertThat(c.call("GEORADIUS", "Sicily", "15", "37", "1", "km", "COUNT", "0")).isEqualTo(error("ERR COUNT must be > 0"));
        assertThat(c.call("GEORADIUS", "Sicily", "15", "37", "1", "km", "ANY")).isEqualTo(error("ERR the ANY argument requires COUNT argument"));
        assertThat(c.call("GEORADIUSBYMEMBER", "Sicily", "nope", "1", "km")).isEqualTo(error("ERR could not decode requested zset member"));
        assertThat(c.call("GEORADIUS", "missing", "15", "37", "200", "km")).isEqualTo("*0\r\n");
        assertThat(c.call("GEORADIUSBYMEMBER", "missing", "x", "200", "km", "STORE", "dst")).isEqualTo(integer(0));
        assertThat(c.call("EXISTS", "dst")).isEqualTo(integer(0));
    }

    @Test
    void geosearchByRadiusAndBox() throws IOException {
        sicily();
        c.call("GEOADD", "Sicily", "12.758489", "38.788135", "edge1", "17.241510", "38.788135", "edge2");
        assertThat(c.call("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "400", "400", "km", "ASC", "WITHCOORD", "WITHDIST"))
                .isEqualTo(array(
                        array(bulk("Catania"), bulk("56.4413"), array(bulk("15.08726745843887329"), bulk("37.50266842333162032"))),
                        array(bulk("Palermo"), bulk("190.4424"), array(bulk("13.36138933897018433"), bulk("38.11555639549629859"))),
                        array(bulk("edge2"), bulk("279.7403"), array(bulk("17.24151045083999634"), bulk("38.78813451624225195"))),
                        array(bulk("edge1"), bulk("279.7405"), array(bulk("12.7584877610206604"), bulk("38.78813451624225195")))));
        assertThat(c.call("GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "200", "km", "ASC", "COUNT", "2", "ANY"))
                .isEqualTo(array(bulk("Palermo"), bulk("edge1")));
        assertThat(c.call("GEOSEARCHSTORE", "dst", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "400", "400", "km", "STOREDIST"))
                .isEqualTo(integer(4));
        assertThat(c.call("ZRANGE", "dst", "0", "-1")).isEqualTo(array(bulk("Catania"), bulk("Palermo"), bulk("edge2"), bulk("edge1")));
        assertThat(c.call("GEOSEARCH", "Sicily", "BYRADIUS", "1", "km", "WITHDIST", "ASC")).isEqualTo(
                error("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for GEOSEARCH"));
        assertThat(c.call("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "WITHDIST", "ASC")).isEqualTo(
                error("ERR exactly one of BYRADIUS and BYBOX can be specified for GEOSEARCH"));
        assertThat(c.call("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "km", "BYBOX", "1", "1", "km"))
                .isEqualTo(error("ERR syntax error"));
        assertThat(c.call("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "-1", "1", "km")).isEqualTo(
                error("ERR height or width cannot be negative"));
        assertThat(c.call("GEOSEARCHSTORE", "dst", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "1", "1", "km", "WITHDIST"))
                .isEqualTo(error("ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options"));
        assertThat(c.call("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "km", "STORE", "x"))
                .isEqualTo(error("ERR syntax error"));
    }
}
