/** The admin listener: health and readiness for load balancers and orchestrators. */
@NullMarked
package dev.cachalot.edge.admin;

import org.jspecify.annotations.NullMarked;
