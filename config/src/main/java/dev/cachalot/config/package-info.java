/**
 * Typed, immutable configuration for Cachalot's services. {@link dev.cachalot.config.ConfigLoader} reads YAML,
 * applies environment and command-line overrides, and reports every problem at once in a
 * {@link dev.cachalot.config.ConfigException}.
 */
@NullMarked
package dev.cachalot.config;

import org.jspecify.annotations.NullMarked;
