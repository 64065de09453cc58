/**
 * Where stored responses live. {@link dev.cachalot.edge.tier.CacheTier} is the whole contract; handlers see one
 * tier, however many are composed behind it. Built by {@link dev.cachalot.edge.tier.CacheTiers}.
 */
@NullMarked
package dev.cachalot.edge.tier;

import org.jspecify.annotations.NullMarked;
