/** The {@code cachalot} command line: {@code edge} and {@code demo}. */
@NullMarked
package dev.cachalot.edge.cli;

import org.jspecify.annotations.NullMarked;
