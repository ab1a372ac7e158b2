/**
 * Events and logs: what the CLI prints (text or one JSON object per event, with dbt's event names) and
 * logs/engine.log (Logback, rotated, with every statement sent and secrets masked).
 */
package dev.sluice.log;
