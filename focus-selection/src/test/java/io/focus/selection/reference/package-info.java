/**
 * TEST ORACLE: the built-in strategies as they were before the per-snapshot index (commit c4c60d1), one map look-up
 * and limit check per bridge per decision. {@link io.focus.selection.SelectionEquivalenceTest} runs them behind
 * {@link io.focus.selection.ReferenceSelector} against the new selector and strategies on random inputs.
 */
package io.focus.selection.reference;
