/**
 * Panda, a Redis-compatible key-value server. The layout, from the network inwards:
 *
 * <pre>
 * Panda                 main: configuration, start, stop
 * config/               directives from the file, environment and flags; CONFIG GET/SET values
 * server/               Netty bootstrap, one handler per connection, group commit of replies
 * protocol/             RESP decoding and encoding, Reply: the only RESP-aware code
 * command/              CommandTable (every command, explicitly), CommandSpec, Dispatcher
 *                       (resolve, admit, execute), Client, shared argument parsing
 * command/&lt;family&gt;/     string, key, hash, set, connection, server: parse arguments, shape replies
 * store/                the keyspace (one thread owns it): Database, entries and KeyTable,
 *                       typed operations (Strings, Hashes, Sets) returning a Status, the one
 *                       stream of Effects, snapshot images
 * store/value/          ValueType and Encoding (the type vocabulary), Listpack, Intset
 * expiry/               the active expiry cycle
 * persistence/          the façade over recovery, WAL group commit, snapshot scheduling, reports
 * persistence/wal/      log records, framing, writer, reader
 * persistence/snapshot/ Parquet snapshot files
 * persistence/storage/  the S3 archive
 * metrics/              the Prometheus endpoint
 * </pre>
 *
 * Dependencies point inwards only: the store imports neither Netty nor the command layer.
 */
package dev.panda;
