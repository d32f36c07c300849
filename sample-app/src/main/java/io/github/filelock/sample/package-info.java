/**
 * A small Spring Boot web app that uses the starter.
 */
@NullMarked
package io.github.filelock.sample;

import org.jspecify.annotations.NullMarked;
