/** Offline tools for data directories: verification and record dumps. Single-threaded command-line programs. */
package io.couloy.engine.tools;
