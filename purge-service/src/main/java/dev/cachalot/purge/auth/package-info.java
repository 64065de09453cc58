@NullMarked
package dev.cachalot.purge.auth;

import org.jspecify.annotations.NullMarked;
