/**
 * The documentation site: {@link dev.sluice.docs.DocsGenerator} turns {@code target/} artifacts into
 * a static single-page site, {@link dev.sluice.docs.DocsServer} serves it on 127.0.0.1.
 *
 * <h2>Inputs, all in the target folder</h2>
 * <ul>
 *   <li>{@code manifest.json} (required): nodes, sources, columns, column_lineage, tests.</li>
 *   <li>{@code run_results.json} (optional): status, failures, message and execution_time per node,
 *       which become test results, node statuses and the timings chart.</li>
 *   <li>{@code insights.json} (optional), written by ML and segmentation nodes. Every section is
 *       optional and unknown keys are ignored:
 * <pre>
 * {
 *   "segments": [                              // one entry per segment
 *     {"name": "loyal",                        // required, shown as is (escaped)
 *      "size": 120,                            // required, number of members, &gt;= 0
 *      "share": 0.4,                           // optional fraction 0..1; computed from sizes if absent
 *      "profile": {"orders": 7.5, "avg_basket": 42.0}}   // feature -&gt; numeric value (mean, rate, ...)
 *   ],
 *   "churn": {
 *     "model": "churn_scores",                 // model name or unique_id; linked when it names a node
 *     "auc": 0.82, "precision": 0.71, "recall": 0.64,   // each optional, 0..1
 *     "roc": [[0.0, 0.0], [0.1, 0.45], [1.0, 1.0]]      // [false positive rate, true positive rate]
 *   },
 *   "timings": [ {"name": "train churn model", "seconds": 3.2} ]   // extra steps beside run_results
 * }
 * </pre>
 *       Per-node timings always come from run_results.json; the {@code timings} section only adds
 *       steps run_results cannot know about. Malformed entries are skipped and reported in
 *       {@link dev.sluice.docs.DocsGenerator.Site#warnings()}.</li>
 * </ul>
 *
 * <h2>Output</h2>
 * {@code index.html}, {@code app.js}, {@code styles.css} and {@code data.js}
 * ({@code window.SLUICE_DOCS = {...};}); no network access is needed, and opening index.html from
 * disk works because the data is loaded as a script, not fetched.
 */
package dev.sluice.docs;
