/**
 * Values and read-only collections computed the first time anything reads them, once, by whichever thread asks
 * first: dbt's graph variable and a node's refs in compile, the views a swap drops in a build.
 */
package dev.sluice.lazy;
