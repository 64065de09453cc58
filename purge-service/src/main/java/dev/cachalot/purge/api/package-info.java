@NullMarked
package dev.cachalot.purge.api;

import org.jspecify.annotations.NullMarked;
