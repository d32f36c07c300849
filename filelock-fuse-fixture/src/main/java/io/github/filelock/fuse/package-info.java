/**
 * A real FUSE file system for this project's own tests: a loopback mount whose Python fixtures refuse flock(2) or
 * answer ESTALE on demand. Built for the tests only; not published.
 */
package io.github.filelock.fuse;
