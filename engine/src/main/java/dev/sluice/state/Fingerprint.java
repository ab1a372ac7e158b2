package dev.sluice.state;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a node's built relation was made from, as SHA-256 hashes (hex). The parts are kept apart so that
 * a plan can say why a node changed:
 *
 * @param nodeId       the node's unique id
 * @param sqlHash      the rendered SQL (vars and env vars a node reads are rendered into it); for a seed, the
 *                     file's bytes
 * @param configHash   the config that shapes the relation (materialization and the engine's version of it,
 *                     where it is built, keys, hooks, grants, contract ...; not tags, meta, docs, group or access)
 * @param upstreamHash the fingerprints of the node's parents as built, and each source's data version
 * @param dataVersion  for nodes that always run (incremental models, snapshots, operators): the run id of the
 *                     last run in which they changed rows, so that their children see new data as a change;
 *                     empty for the others
 * @param fingerprint  the hash of all of the above: equal fingerprints mean an equal relation
 */
public record Fingerprint(String nodeId, String fingerprint, String sqlHash, String configHash, String upstreamHash,
                          String dataVersion) {

    public static Fingerprint of(String nodeId, String sqlHash, String configHash, String upstreamHash, String dataVersion) {
        String dv = dataVersion == null ? "" : dataVersion;
        return new Fingerprint(nodeId, sha256(sqlHash + "\n" + configHash + "\n" + upstreamHash + "\n" + dv),
                sqlHash, configHash, upstreamHash, dv);
    }

    /** This fingerprint after the node's data changed in the run with the given id. */
    public Fingerprint withDataVersion(String version) {
        return of(nodeId, sqlHash, configHash, upstreamHash, version);
    }

    /** What changed between a stored fingerprint and this one: sql, config, upstream, data; empty when equal. */
    public java.util.List<String> changedParts(Fingerprint stored) {
        java.util.List<String> out = new java.util.ArrayList<>();
        if (!sqlHash.equals(stored.sqlHash)) out.add("sql");
        if (!configHash.equals(stored.configHash)) out.add("config");
        if (!upstreamHash.equals(stored.upstreamHash)) out.add("upstream");
        if (!dataVersion.equals(stored.dataVersion)) out.add("data");
        return out;
    }

    /** The first 12 hex digits, for messages. */
    public String shortForm() {
        return fingerprint.substring(0, Math.min(12, fingerprint.length()));
    }

    public static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
