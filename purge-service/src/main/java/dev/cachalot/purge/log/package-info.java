@NullMarked
package dev.cachalot.purge.log;

import org.jspecify.annotations.NullMarked;
