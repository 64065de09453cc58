@NullMarked
package dev.cachalot.purge.cli;

import org.jspecify.annotations.NullMarked;
